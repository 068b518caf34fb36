/* Helpers shared by the content subcommands (post, comment, setting, user): opening the data
 * directory, reading a body from a file or stdin, and JSON strings. */
#pragma once

#include <jansson.h>
#include <stddef.h>

#include "cli/cli.h"
#include "db/db.h"

/* Opens cli->data_dir; on failure prints why (naming cli->cmd) and returns NULL. */
struct db *cli_open_db(struct cli *cli);

/* Reads the whole of path ("-" or NULL: stdin, empty when stdin is a terminal) into a
 * NUL-terminated heap string. Returns 0, -E2BIG past max bytes, -EINVAL for a NUL byte, or
 * -errno (message printed, naming cli->cmd). */
int cli_read_body(const struct cli *cli, const char *path, size_t max, char **out);

/* A JSON string of s (NULL gives null); invalid UTF-8 is passed through unchecked rather than lost. */
json_t *cli_json_str(const char *s);

/* Parses a positive decimal id; 0 and a message on stderr when it is not one. */
int64_t cli_parse_id(const char *cmd, const char *s);

/* Prints "gazette CMD: MESSAGE: strerror(-err)" on stderr and returns 1. */
int cli_fail(const char *cmd, const char *message, int err);
