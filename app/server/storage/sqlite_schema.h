// The SQLite schema, versioned with PRAGMA user_version. Each version is one upgrade step,
// run in order, each in its own transaction together with the new version number, so a
// database is always at exactly one version. A new version = one new step function.
#pragma once

#include <QSqlDatabase>
#include <QString>

namespace chalk::server::sqlite_schema {

inline constexpr int currentVersion = 7;

// The version stored in the file (0 for a new, empty database); -1 on error.
int version(QSqlDatabase &db, QString *error);
// Creates or upgrades the schema to currentVersion. False (with *error) on failure, and for
// a file written by a newer program (we do not guess at a schema we do not know).
bool upgrade(QSqlDatabase &db, QString *error);

} // namespace chalk::server::sqlite_schema
