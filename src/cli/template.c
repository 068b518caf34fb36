/* gazette template render: renders one template file against JSON data, for theme authors
 * previewing their work and for tests. Placeholder until the engine lands. */
#include <stdio.h>

#include "cli/cli.h"

int cli_template(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fprintf(stderr, "gazette template: not built yet\n");
    return 1;
}
