// Picks a Storage from the --storage option: "memory" or "sqlite:PATH".
#pragma once

#include "storage.h"

#include <QString>
#include <memory>

namespace chalk::server {

// nullptr with *error set (if given) for a spec it does not know. The storage is not opened.
std::unique_ptr<Storage> makeStorage(const QString &spec, QString *error);

// <AppDataLocation>/chalkroom.db; creates the folder. Empty if it cannot be created.
QString defaultSqlitePath();

} // namespace chalk::server
