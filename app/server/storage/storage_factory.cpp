#include "storage_factory.h"

#include "memory_storage.h"
#include "sqlite_storage.h"

#include <QDir>
#include <QStandardPaths>

namespace chalk::server {

std::unique_ptr<Storage> makeStorage(const QString &spec, QString *error)
{
    if (spec == QLatin1String("memory"))
        return std::make_unique<MemoryStorage>();
    if (spec.startsWith(QLatin1String("sqlite:"))) {
        const QString path = spec.mid(int(qstrlen("sqlite:")));
        if (!path.isEmpty())
            return std::make_unique<SqliteStorage>(path);
        if (error)
            *error = QStringLiteral("storage \"sqlite:\" needs a file path, e.g. sqlite:%1")
                         .arg(defaultSqlitePath());
        return nullptr;
    }
    if (error)
        *error =
            QStringLiteral("unknown storage \"%1\": use \"memory\" or \"sqlite:PATH\"").arg(spec);
    return nullptr;
}

QString defaultSqlitePath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty() || !QDir().mkpath(dir))
        return {};
    return QDir(dir).filePath(QStringLiteral("chalkroom.db"));
}

} // namespace chalk::server
