// SqliteStorage's life and its accessors: every method hands work to the SqliteWorker
// (sqlite_worker.h) and awaits it. The tables' calls are in sqlite_rooms.cpp,
// sqlite_accounts.cpp (users, tokens, accounts),
// sqlite_messages.cpp and sqlite_board.cpp.
#include "sqlite_storage.h"

#include "sqlite_worker.h"

namespace chalk::server {

SqliteStorage::SqliteStorage(QString path)
    : d(std::make_unique<SqliteWorker>(std::move(path)))
{}

SqliteStorage::~SqliteStorage()
{
    d->shutdown();
}

QString SqliteStorage::lastError() const
{
    return d->lastError();
}
QString SqliteStorage::describe() const
{
    return QStringLiteral("sqlite:") + d->path;
}
QString SqliteStorage::path() const
{
    return d->path;
}
QThread *SqliteStorage::sqlThread() const
{
    return d->lastSqlThread;
}
qint64 SqliteStorage::commitCount() const
{
    return d->commits;
}

QCoro::Task<bool> SqliteStorage::open()
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w] { return w->openOnThread(); }));
}

QCoro::Task<void> SqliteStorage::flush()
{
    // Batches commit in order, so this one commits after every write queued before it.
    return awaitDone(d->write<bool>([] { return true; }, false));
}

} // namespace chalk::server
