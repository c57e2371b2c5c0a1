// The system SQLite (Debian: libsqlite3-dev), for the embedded query engine (Sources/QuiltQuery).
#include <sqlite3.h>
