/* The API's route table: each route's WordPress pattern, its arguments (checked by api.c and
 * shown by the index and OPTIONS) and its item schema (WordPress's JSON Schema of the objects it
 * answers with, as far as Gazette fills them). */
#include "api/api_int.h"

#include <stdint.h>

#define CTX_ALL "\"context\":[\"view\",\"edit\",\"embed\"]"
#define CTX_VE "\"context\":[\"view\",\"edit\"]"
#define CTX_E "\"context\":[\"edit\"]"
#define RO "\"readonly\":true"
#define PROP(name, desc, type, ctx) "\"" name "\":{\"description\":\"" desc "\",\"type\":" type "," ctx "}"
#define SCHEMA(title, props)                                                                                           \
    "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"title\":\"" title "\",\"type\":\"object\","            \
    "\"properties\":{" props "}}"
#define RENDERED(name, desc, ctx, extra)                                                                               \
    "\"" name "\":{\"description\":\"" desc "\",\"type\":\"object\"," ctx ",\"properties\":{"                          \
    "\"raw\":{\"description\":\"As it is stored.\",\"type\":\"string\"," CTX_E "},"                                    \
    "\"rendered\":{\"description\":\"HTML for display.\",\"type\":\"string\"," ctx "," RO "}" extra "}}"
#define PROTECTED                                                                                                      \
    ",\"protected\":{\"description\":\"Whether a password protects it.\",\"type\":\"boolean\"," CTX_ALL "," RO "}"

#define POST_COMMON                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                  \
    PROP("date", "The date the object was published, in the site's timezone.", "[\"string\",\"null\"]",                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                              \
         "\"format\":\"date-time\"," CTX_ALL)                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        \
    "," PROP("date_gmt", "The date the object was published, as GMT.", "[\"string\",\"null\"]",                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                      \
             "\"format\":\"date-time\"," CTX_VE) ","                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 \
                                                 "\"guid\":{\"description\":\"The globally unique identifier for the "                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                               \
                                                 "object.\",\"type\":\"object\"," CTX_VE "," RO                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                      \
                                                 ",\"properties\":{\"rendered\":{\"description\":\"GUID for the "                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                    \
                                                 "object, transformed for display.\","                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                               \
                                                 "\"type\":\"string\"," CTX_VE "," RO "}}}," PROP(                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                   \
                                                     "id", "Unique identifier for the object.", "\"integer\"",                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                       \
                                                     CTX_ALL                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                         \
                                                     "," RO) "," PROP("link", "URL to the object.", "\"string\"", "\"format\":\"uri\"," CTX_ALL "," RO) "," PROP("modified", "The date the object was last modified, in the site's timezone.", "\"string\"", "\"format\":\"date-time\"," CTX_VE "," RO) "," PROP("modified_gmt", "The date the object was last modified, as GMT.", "\"string\"", "\"format\":\"date-time\"," CTX_VE "," RO) "," PROP("slug",                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                         \
                                                                                                                                                                                                                                                                                                                                                                                                                                                     "An alphanumeric identifier for the object unique to its type.",                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                \
                                                                                                                                                                                                                                                                                                                                                                                                                                                     "\"string\"",                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                   \
                                                                                                                                                                                                                                                                                                                                                                                                                                                     CTX_ALL) "," PROP("status",                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                     \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                       "A named status for the object.",                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                             \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                       "\"string\"",                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                       "\"enum\":[\"publish\",\"future\",\"draft\",\"pending\",\"private\",\"trash\"]," CTX_VE) "," PROP("type",                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                     \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                         "Type of post.",                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                            \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                         "\"string\"", CTX_ALL "," RO) "," PROP("password", "A password to protect access to the content and excerpt.", "\"string\"", CTX_E) "," RENDERED("title",                                                                                                                                                                                                                                                                                                                                                                                                                   \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                          "The title for the object.",                                                                                                                                                                                                                                                                                                                                                                                               \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                          CTX_ALL, "") "," RENDERED("content", "The content for the object.", CTX_VE, PROTECTED) "," RENDERED("excerpt",                                                                                                                                                                                                                                                                                                             \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                              "The excerpt for the object.",                                                                                                                                                                                                                                                                                         \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                              CTX_ALL,                                                                                                                                                                                                                                                                                                               \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                              PROTECTED) "," PROP("author",                                                                                                                                                                                                                                                                                          \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                  "The ID for the author of the object.",                                                                                                                                                                                                                                                            \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                  "\"integer\"",                                                                                                                                                                                                                                                                                     \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                  CTX_ALL) "," PROP("featured_media",                                                                                                                                                                                                                                                                \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                    "The ID of the featured media for the object (always 0: no media library).", "\"integer\"", CTX_VE) "," PROP("comment_status",                                                                                                                                                   \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 "Whether or not comments are open on the object.",                                                                                                                  \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 "\"string\"", "\"enum\":[\"open\",\"closed\"]," CTX_VE) "," PROP("ping_status", "Whether or not the object can be pinged.", "\"string\"",                           \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                  "\"enum\":[\"open\",\"closed\"]," CTX_VE) "," PROP("template",                                     \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                     "The theme file to use to display the object.", \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                     "\"string\"",                                   \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                     CTX_VE) "," PROP("meta",                        \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                      "Meta fields.",                \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                      "\"object\"",                  \
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                      CTX_VE)

static const char post_schema[] =
    SCHEMA("post", POST_COMMON
           "," PROP("format", "The format for the object.", "\"string\"", "\"enum\":[\"standard\"]," CTX_VE) "," PROP(
               "sticky",
               "Whether or not the object should be "
               "treated as sticky.",
               "\"boolean\"",
               CTX_VE) ","
                       "\"categories\":{\"description\":\"The terms assigned to the object in the category taxonomy.\","
                       "\"type\":\"array\",\"items\":{\"type\":\"integer\"}," CTX_VE "},"
                       "\"tags\":{\"description\":\"The terms assigned to the object in the post_tag taxonomy.\","
                       "\"type\":\"array\",\"items\":{\"type\":\"integer\"}," CTX_VE "}");

static const char page_schema[] = SCHEMA(
    "page",
    POST_COMMON "," PROP("parent", "The ID for the parent of the object.", "\"integer\"", CTX_VE) "," PROP(
        "menu_order", "The order of the object in relation to other object of its type.", "\"integer\"", CTX_VE));

#define TERM_COMMON                                                                                                    \
    PROP("id", "Unique identifier for the term.", "\"integer\"", CTX_ALL "," RO)                                       \
    "," PROP("count", "Number of published posts for the term.", "\"integer\"", CTX_VE "," RO) "," PROP(               \
        "description", "HTML description of the term.", "\"string\"",                                                  \
        CTX_VE) "," PROP("link", "URL of the term.", "\"string\"",                                                     \
                         "\"format\":\"uri\"," CTX_ALL                                                                 \
                         "," RO) "," PROP("name", "HTML title for the term.", "\"string\"",                            \
                                          CTX_ALL) "," PROP("slug",                                                    \
                                                            "An alphanumeric identifier for the term unique to its "   \
                                                            "type.",                                                   \
                                                            "\"string\"",                                              \
                                                            CTX_ALL) "," PROP("taxonomy",                              \
                                                                              "Type attribution for the term.",        \
                                                                              "\"string\"",                            \
                                                                              "\"enum\":[\"category\",\"post_tag\"]"   \
                                                                              "," CTX_ALL                              \
                                                                              "," RO) "," PROP("meta", "Meta fields.", \
                                                                                               "\"object\"", CTX_VE)

static const char category_schema[] =
    SCHEMA("category", TERM_COMMON "," PROP("parent", "The parent term ID.", "\"integer\"", CTX_VE));
static const char tag_schema[] = SCHEMA("tag", TERM_COMMON);

#define AVATARS(name, ctx)                                                                                             \
    "\"" name "\":{\"description\":\"Avatar URLs (none: Gazette keeps no avatars).\",\"type\":\"object\"," ctx "," RO  \
    "}"

static const char comment_schema[] =
    SCHEMA(
        "comment",
        PROP("id", "Unique identifier for the comment.", "\"integer\"", CTX_ALL "," RO) "," PROP(
            "author", "The ID of the user object, if author was a user.", "\"integer\"",
            CTX_ALL) "," PROP("author_email", "Email address for the comment author.", "\"string\"",
                              "\"format\":\"email\"," CTX_E) "," PROP("author_ip", "IP address for the comment author.",
                                                                      "\"string\"",
                                                                      CTX_E) "," PROP("author_name",
                                                                                      "Display name for the comment "
                                                                                      "author.",
                                                                                      "\"string\"",
                                                                                      CTX_ALL) "," PROP("author_url",
                                                                                                        "URL for the "
                                                                                                        "comment "
                                                                                                        "author.",
                                                                                                        "\"string\"", CTX_ALL) "," PROP("author_user_agent", "User agent for the comment author.", "\"string\"", CTX_E) "," RENDERED("content", "The content for the comment.", CTX_ALL, "") "," PROP("date", "The date the comment was published, in the site's timezone.", "\"string\"", "\"format\":\"date-time\"," CTX_ALL) "," PROP("date_gmt",
                                                                                                                                                                                                                                                                                                                                                                                                                                         "The date the comment was published, as GMT.", "\"string\"", "\"format\":\"date-time\"," CTX_VE) "," PROP("link", "URL to the comment.", "\"string\"", "\"format\":\"uri\"," CTX_ALL "," RO) "," PROP("parent",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                               "The ID for the parent of the comment.",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                               "\"integer\"",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                               CTX_ALL) "," PROP("post",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 "The ID of the associated post object.",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 "\"integer\"", CTX_VE) "," PROP("status",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                 "State of the comment.", "\"string\"", CTX_VE) "," PROP("type",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                         "Type of the comment.",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                         "\"string\"", CTX_ALL "," RO) "," AVATARS("author_avatar_urls", CTX_ALL) "," PROP("meta", "Meta fields.", "\"object\"",
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                           CTX_VE));

static const char user_schema[] = SCHEMA(
    "user",
    PROP("id", "Unique identifier for the user.", "\"integer\"", CTX_ALL "," RO) "," PROP("username", "Login name for the user.", "\"string\"", CTX_E) "," PROP(
        "name", "Display name for the user.",
        "\"string\"",
        CTX_ALL) "," PROP("email", "The email address for the user.", "\"string\"",
                          "\"format\":\"email\"," CTX_E) "," PROP("url", "URL of the user.", "\"string\"",
                                                                  CTX_ALL) "," PROP("description",
                                                                                    "Description of the user.",
                                                                                    "\"string\"",
                                                                                    CTX_ALL) "," PROP("link",
                                                                                                      "Author URL of "
                                                                                                      "the user.",
                                                                                                      "\"string\"",
                                                                                                      "\"format\":"
                                                                                                      "\"uri\"," CTX_ALL
                                                                                                      "," RO) "," PROP("slug",
                                                                                                                       "An alphanumeric identifier for the user.",
                                                                                                                       "\"string\"",
                                                                                                                       CTX_ALL) "," PROP("registered_date",
                                                                                                                                         "Registration date for the user.",
                                                                                                                                         "\"string\"",
                                                                                                                                         "\"format\":\"date-time\"," CTX_E) ","
                                                                                                                                                                            "\"roles\":{\"description\":\"Roles assigned to the user.\",\"type\":\"array\",\"items\":{\"type\":\"string\"}," CTX_E
                                                                                                                                                                            "}," AVATARS("avatar_urls", CTX_ALL) "," PROP(
                                                                                                                                                                                "meta",
                                                                                                                                                                                "Meta fields.",
                                                                                                                                                                                "\"object\"",
                                                                                                                                                                                CTX_VE));

static const char type_schema[] = SCHEMA(
    "type",
    PROP("description", "A human-readable description of the post type.", "\"string\"", CTX_VE "," RO) "," PROP(
        "hierarchical", "Whether or not the post type should have children.", "\"boolean\"",
        CTX_VE
        "," RO) "," PROP("has_archive", "If the value is a string, the value will be used as the archive slug.",
                         "[\"string\",\"boolean\"]",
                         CTX_VE
                         "," RO) "," PROP("name", "The title for the post type.", "\"string\"",
                                          CTX_ALL
                                          "," RO) "," PROP("slug", "An alphanumeric identifier for the post type.",
                                                           "\"string\"",
                                                           CTX_ALL
                                                           "," RO) ","
                                                                   "\"taxonomies\":{\"description\":\"Taxonomies "
                                                                   "associated with post type.\",\"type\":\"array\","
                                                                   "\"items\":{\"type\":\"string\"}," CTX_VE "," RO
                                                                   "}," PROP("rest_base",
                                                                             "REST base route for the post type.",
                                                                             "\"string\"",
                                                                             CTX_ALL
                                                                             "," RO) "," PROP("rest_namespace",
                                                                                              "REST route's namespace "
                                                                                              "for the post type.",
                                                                                              "\"string\"",
                                                                                              CTX_ALL "," RO));

static const char status_schema[] = SCHEMA(
    "status",
    PROP("name", "The title for the status.", "\"string\"", CTX_ALL "," RO) "," PROP(
        "private", "Whether posts with this status should be private.", "\"boolean\"",
        CTX_E
        "," RO) "," PROP("protected", "Whether posts with this status should be protected.", "\"boolean\"",
                         CTX_E
                         "," RO) "," PROP("public",
                                          "Whether posts of this status should be shown in the front end of the site.",
                                          "\"boolean\"",
                                          CTX_VE
                                          "," RO) "," PROP("queryable",
                                                           "Whether posts with this status should be "
                                                           "publicly-queryable.",
                                                           "\"boolean\"",
                                                           CTX_VE
                                                           "," RO) "," PROP("show_in_list",
                                                                            "Whether to include posts in the edit "
                                                                            "listing for their post type.",
                                                                            "\"boolean\"",
                                                                            CTX_E
                                                                            "," RO) "," PROP("slug",
                                                                                             "An alphanumeric "
                                                                                             "identifier for the "
                                                                                             "status.",
                                                                                             "\"string\"",
                                                                                             CTX_ALL
                                                                                             "," RO) "," PROP("date_"
                                                                                                              "floatin"
                                                                                                              "g",
                                                                                                              "Whether "
                                                                                                              "posts "
                                                                                                              "of this "
                                                                                                              "status "
                                                                                                              "may "
                                                                                                              "have "
                                                                                                              "floating"
                                                                                                              " publish"
                                                                                                              "ed "
                                                                                                              "dates.",
                                                                                                              "\"boolea"
                                                                                                              "n\"",
                                                                                                              CTX_VE
                                                                                                              "," RO));

static const char settings_schema[] = SCHEMA(
    "settings",
    PROP("title", "Site title.", "\"string\"", CTX_VE) "," PROP(
        "description", "Site tagline.", "\"string\"",
        CTX_VE) "," PROP("url", "Site URL.", "\"string\"",
                         "\"format\":\"uri\"," CTX_VE) "," PROP("timezone", "A city in the same timezone as you.",
                                                                "\"string\"",
                                                                CTX_VE) "," PROP("posts_per_page",
                                                                                 "Blog pages show at most.",
                                                                                 "\"integer\"", CTX_VE));

static const char search_schema[] = SCHEMA(
    "search-result",
    PROP("id", "Unique identifier for the object.", "[\"integer\",\"string\"]", CTX_ALL "," RO) "," PROP(
        "title", "The title for the object.", "\"string\"",
        CTX_ALL "," RO) "," PROP("url", "URL to the object.", "\"string\"",
                                 "\"format\":\"uri\"," CTX_ALL
                                 "," RO) "," PROP("type", "Object type.", "\"string\"",
                                                  "\"enum\":[\"post\"]," CTX_ALL
                                                  "," RO) "," PROP("subtype", "Object subtype.", "\"string\"",
                                                                   "\"enum\":[\"post\",\"page\"]," CTX_ALL "," RO));

/* clang-format off */
#define SIZE_PROPS                                                                                                     \
    "\"file\":{\"type\":\"string\"},\"width\":{\"type\":\"integer\"},\"height\":{\"type\":\"integer\"},"            \
    "\"filesize\":{\"type\":\"integer\"},\"mime_type\":{\"type\":\"string\"},"                                       \
    "\"source_url\":{\"type\":\"string\",\"format\":\"uri\"}"
static const char media_schema[] = SCHEMA(
    "attachment",
    PROP("date", "The date the object was published, in the site's timezone.", "[\"string\",\"null\"]",
         "\"format\":\"date-time\"," CTX_ALL) ","
    PROP("date_gmt", "The date the object was published, as GMT.", "[\"string\",\"null\"]",
         "\"format\":\"date-time\"," CTX_VE) ","
    "\"guid\":{\"description\":\"The globally unique identifier for the object.\",\"type\":\"object\"," CTX_VE ","
        RO ",\"properties\":{\"rendered\":{\"description\":\"GUID for the object, transformed for display.\","
        "\"type\":\"string\"," CTX_VE "," RO "}}},"
    PROP("id", "Unique identifier for the object.", "\"integer\"", CTX_ALL "," RO) ","
    PROP("link", "URL to the object: its full-size file.", "\"string\"", "\"format\":\"uri\"," CTX_ALL "," RO) ","
    PROP("modified", "The date the object was last modified, in the site's timezone.", "\"string\"",
         "\"format\":\"date-time\"," CTX_VE "," RO) ","
    PROP("modified_gmt", "The date the object was last modified, as GMT.", "\"string\"",
         "\"format\":\"date-time\"," CTX_VE "," RO) ","
    PROP("slug", "The name of the object's files (hex digits of the hash of its bytes).", "\"string\"",
         CTX_ALL "," RO) ","
    PROP("status", "A named status for the object.", "\"string\"", "\"enum\":[\"inherit\"]," CTX_VE "," RO) ","
    PROP("type", "Type of post.", "\"string\"", CTX_ALL "," RO) ","
    PROP("permalink_template", "Permalink template for the object.", "\"string\"", CTX_E "," RO) ","
    RENDERED("title", "The title for the object.", CTX_ALL, "") ","
    PROP("author", "The ID for the author of the object.", "\"integer\"", CTX_ALL) ","
    PROP("featured_media", "The ID of the featured media for the object.", "\"integer\"", CTX_VE) ","
    PROP("comment_status", "Whether or not comments are open on the object.", "\"string\"",
         "\"enum\":[\"open\",\"closed\"]," CTX_VE) ","
    PROP("ping_status", "Whether or not the object can be pinged.", "\"string\"",
         "\"enum\":[\"open\",\"closed\"]," CTX_VE) ","
    PROP("template", "The theme file to use to display the object.", "\"string\"", CTX_VE) ","
    PROP("meta", "Meta fields.", "\"object\"", CTX_VE) ","
    RENDERED("description", "The attachment description.", CTX_VE, "") ","
    RENDERED("caption", "The attachment caption.", CTX_ALL, "") ","
    PROP("alt_text", "Alternative text to display when attachment is not displayed.", "\"string\"", CTX_ALL) ","
    PROP("credit", "Who made the image (Gazette's; shown after the caption).", "\"string\"", CTX_ALL) ","
    PROP("media_type", "Attachment type.", "\"string\"",
         "\"enum\":[\"image\",\"file\"]," CTX_ALL "," RO) ","
    PROP("mime_type", "The attachment MIME type: the type of source_url.", "\"string\"", CTX_ALL "," RO) ","
    "\"media_details\":{\"description\":\"Details about the media file, specific to its type.\","
        "\"type\":\"object\"," CTX_ALL "," RO ",\"properties\":{"
        "\"width\":{\"type\":\"integer\"},\"height\":{\"type\":\"integer\"},\"file\":{\"type\":\"string\"},"
        "\"filesize\":{\"type\":\"integer\"},\"image_meta\":{\"type\":\"object\"},"
        "\"sizes\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"object\","
        "\"required\":[\"file\",\"width\",\"height\",\"mime_type\",\"source_url\"],"
        "\"properties\":{" SIZE_PROPS "}}}}},"
    PROP("post", "The ID for the associated post of the attachment: the newest post that shows it.",
         "[\"integer\",\"null\"]", CTX_VE) ","
    PROP("source_url", "URL to the original attachment: its full-size copy.", "\"string\"",
         "\"format\":\"uri\"," CTX_ALL "," RO));
/* clang-format on */

/* ---- arguments ------------------------------------------------------------------------------ */

static const char *const orders[] = {"asc", "desc", NULL};
static const char *const post_orderby[] = {"date", "relevance", "include", NULL};
static const char *const term_orderby[] = {"name", "slug", "id", "include", "count", NULL};
static const char *const comment_orderby[] = {"date", "date_gmt", NULL};
static const char *const user_orderby[] = {"id", "name", "slug", "include", NULL};
static const char *const statuses[] = {"publish", "future", "draft", "pending", "private", "trash", "any", NULL};
static const char *const media_statuses[] = {"inherit", "private", "trash", NULL};
static const char *const search_types[] = {"post", NULL};
static const char *const search_subtypes[] = {"post", "page", "any", NULL};

#define PAGING                                                                                                           \
    {"page", ARG_INT, "Current page of the collection.", NULL, 1, INT64_MAX, "1"},                                       \
        {"per_page", ARG_INT, "Maximum number of items to be returned in result set.", NULL, 1, API_PER_PAGE_MAX, "10"}, \
        {"search", ARG_STR, "Limit results to those matching a string.", NULL, 0, 0, NULL},                              \
        {"exclude", ARG_INTS, "Ensure result set excludes specific IDs.", NULL, 0, 0, "[]"},                             \
        {"include", ARG_INTS, "Limit result set to specific IDs.", NULL, 0, 0, "[]"},                                    \
        {"offset", ARG_INT, "Offset the result set by a specific number of items.", NULL, 0, INT64_MAX, NULL},           \
    {                                                                                                                    \
        "order", ARG_ENUM, "Order sort attribute ascending or descending.", orders, 0, 0, "\"desc\""                     \
    }

static const struct api_arg post_args[] = {
    api_context_arg_init,
    PAGING,
    {"orderby", ARG_ENUM, "Sort collection by post attribute.", post_orderby, 0, 0, "\"date\""},
    {"after", ARG_DATE, "Limit response to posts published after a given ISO8601 compliant date.", NULL, 0, 0, NULL},
    {"before", ARG_DATE, "Limit response to posts published before a given ISO8601 compliant date.", NULL, 0, 0, NULL},
    {"author", ARG_INTS, "Limit result set to posts assigned to specific authors.", NULL, 0, 0, "[]"},
    {"slug", ARG_STRS, "Limit result set to posts with one or more specific slugs.", NULL, 0, 0, NULL},
    {"status", ARG_ENUMS, "Limit result set to posts assigned one or more statuses.", statuses, 0, 0, "\"publish\""},
    {"categories", ARG_INTS, "Limit result set to items with specific terms assigned in the categories taxonomy.", NULL,
     0, 0, "[]"},
    {"tags", ARG_INTS, "Limit result set to items with specific terms assigned in the tags taxonomy.", NULL, 0, 0,
     "[]"},
    {"author_exclude", ARG_INTS, "Ensure result set excludes posts assigned to specific authors.", NULL, 0, 0, "[]"},
    {"categories_exclude", ARG_INTS,
     "Limit result set to items except those with specific terms assigned in the categories taxonomy.", NULL, 0, 0,
     "[]"},
    {"tags_exclude", ARG_INTS,
     "Limit result set to items except those with specific terms assigned in the tags taxonomy.", NULL, 0, 0, "[]"},
    {"sticky", ARG_BOOL, "Limit result set to items that are sticky.", NULL, 0, 0, NULL},
};
static const struct api_arg page_args[] = {
    api_context_arg_init,
    PAGING,
    {"orderby", ARG_ENUM, "Sort collection by post attribute.", post_orderby, 0, 0, "\"date\""},
    {"slug", ARG_STRS, "Limit result set to posts with one or more specific slugs.", NULL, 0, 0, NULL},
    {"status", ARG_ENUMS, "Limit result set to posts assigned one or more statuses.", statuses, 0, 0, "\"publish\""},
};
static const struct api_arg item_args[] = {
    api_context_arg_init,
    {"password", ARG_STR, "The password for the post if it is password protected.", NULL, 0, 0, NULL},
};
static const struct api_arg term_args[] = {
    api_context_arg_init,
    PAGING,
    {"orderby", ARG_ENUM, "Sort collection by term attribute.", term_orderby, 0, 0, "\"name\""},
    {"hide_empty", ARG_BOOL, "Whether to hide terms not assigned to any posts.", NULL, 0, 0, "false"},
    {"post", ARG_INT, "Limit result set to terms assigned to a specific post.", NULL, 1, INT64_MAX, NULL},
    {"slug", ARG_STRS, "Limit result set to terms with one or more specific slugs.", NULL, 0, 0, NULL},
    {"parent", ARG_INT, "Limit result set to terms assigned to a specific parent.", NULL, 0, INT64_MAX, NULL},
};
static const struct api_arg comment_args[] = {
    api_context_arg_init,
    PAGING,
    {"orderby", ARG_ENUM, "Sort collection by comment attribute.", comment_orderby, 0, 0, "\"date_gmt\""},
    {"post", ARG_INTS, "Limit result set to comments assigned to specific post IDs.", NULL, 0, 0, "[]"},
    {"parent", ARG_INTS, "Limit result set to comments of specific parent IDs.", NULL, 0, 0, "[]"},
};
static const struct api_arg user_args[] = {
    api_context_arg_init,
    PAGING,
    {"orderby", ARG_ENUM, "Sort collection by user attribute.", user_orderby, 0, 0, "\"name\""},
    {"slug", ARG_STRS, "Limit result set to users with one or more specific slugs.", NULL, 0, 0, NULL},
    {"who", ARG_STR, "Limit result set to users who are considered authors.", NULL, 0, 0, NULL},
};
static const char *const media_orderby[] = {"date", "id", "title", "slug", "include", NULL};
static const char *const media_types[] = {"image", "video", "text", "application", "audio", NULL};
static const struct api_arg media_args[] = {
    api_context_arg_init,
    PAGING,
    {"orderby", ARG_ENUM, "Sort collection by object attribute.", media_orderby, 0, 0, "\"date\""},
    {"author", ARG_INTS, "Limit result set to posts assigned to specific authors.", NULL, 0, 0, "[]"},
    {"author_exclude", ARG_INTS, "Ensure result set excludes posts assigned to specific authors.", NULL, 0, 0, "[]"},
    {"slug", ARG_STRS, "Limit result set to posts with one or more specific slugs.", NULL, 0, 0, NULL},
    {"parent", ARG_INTS, "Limit result set to items shown by particular posts.", NULL, 0, 0, "[]"},
    {"media_type", ARG_ENUM, "Limit result set to attachments of a particular media type.", media_types, 0, 0, NULL},
    {"mime_type", ARG_STR, "Limit result set to attachments of a particular MIME type.", NULL, 0, 0, NULL},
    {"status", ARG_ENUMS, "Limit result set to posts assigned one or more statuses.", media_statuses, 0, 0,
     "\"inherit\""},
};
static const struct api_arg context_args[] = {api_context_arg_init};
static const struct api_arg search_args[] = {
    api_context_arg_init,
    {"page", ARG_INT, "Current page of the collection.", NULL, 1, INT64_MAX, "1"},
    {"per_page", ARG_INT, "Maximum number of items to be returned in result set.", NULL, 1, API_PER_PAGE_MAX, "10"},
    {"search", ARG_STR, "Limit results to those matching a string.", NULL, 0, 0, NULL},
    {"type", ARG_ENUM, "Limit results to items of an object type.", search_types, 0, 0, "\"post\""},
    {"subtype", ARG_ENUMS, "Limit results to items of one or more object subtypes.", search_subtypes, 0, 0, "\"any\""},
};

#define N(x) (sizeof(x) / sizeof((x)[0]))
#define WRITES (API_POST | API_PUT | API_PATCH | API_DELETE)

static const struct api_route routes[] = {
    {"/wp/v2/posts", "posts", 0, post_args, N(post_args), post_schema, API_POST, api_posts_get},
    {"/wp/v2/posts/(?P<id>[\\d]+)", "posts", 1, item_args, N(item_args), post_schema, WRITES, api_posts_get},
    {"/wp/v2/pages", "pages", 0, page_args, N(page_args), page_schema, API_POST, api_pages_get},
    {"/wp/v2/pages/(?P<id>[\\d]+)", "pages", 1, item_args, N(item_args), page_schema, WRITES, api_pages_get},
    {"/wp/v2/types", "types", 0, context_args, N(context_args), type_schema, 0, api_types_get},
    {"/wp/v2/types/(?P<type>[\\w-]+)", "types", 2, context_args, N(context_args), type_schema, 0, api_types_get},
    {"/wp/v2/statuses", "statuses", 0, context_args, N(context_args), status_schema, 0, api_statuses_get},
    {"/wp/v2/statuses/(?P<status>[\\w-]+)", "statuses", 2, context_args, N(context_args), status_schema, 0,
     api_statuses_get},
    {"/wp/v2/categories", "categories", 0, term_args, N(term_args), category_schema, API_POST, api_categories_get},
    {"/wp/v2/categories/(?P<id>[\\d]+)", "categories", 1, context_args, N(context_args), category_schema, WRITES,
     api_categories_get},
    {"/wp/v2/tags", "tags", 0, term_args, N(term_args), tag_schema, API_POST, api_tags_get},
    {"/wp/v2/tags/(?P<id>[\\d]+)", "tags", 1, context_args, N(context_args), tag_schema, WRITES, api_tags_get},
    {"/wp/v2/users", "users", 0, user_args, N(user_args), user_schema, API_POST, api_users_get},
    {"/wp/v2/users/(?P<id>[\\d]+)", "users", 1, context_args, N(context_args), user_schema,
     API_POST | API_PUT | API_PATCH, api_users_get},
    {"/wp/v2/users/me", "users", 3, context_args, N(context_args), user_schema, 0, api_users_get},
    {"/wp/v2/comments", "comments", 0, comment_args, N(comment_args), comment_schema, API_POST, api_comments_get},
    {"/wp/v2/comments/(?P<id>[\\d]+)", "comments", 1, item_args, N(item_args), comment_schema, WRITES,
     api_comments_get},
    {"/wp/v2/media", "media", 0, media_args, N(media_args), media_schema, API_POST, api_media_get},
    {"/wp/v2/media/(?P<id>[\\d]+)", "media", 1, context_args, N(context_args), media_schema, WRITES, api_media_get},
    {"/wp/v2/settings", "settings", 0, NULL, 0, settings_schema, API_POST | API_PUT | API_PATCH, api_settings_get},
    {"/wp/v2/search", "search", 0, search_args, N(search_args), search_schema, 0, api_search_get},
};

const struct api_route *api_routes(size_t *n)
{
    *n = N(routes);
    return routes;
}
