// SqliteWorker's storage-thread side: opening the database (WAL, pragmas, schema), the group
// commit of queued writes, the checkpoint thread, and the cache of prepared statements.
#include "sqlite_worker.h"

#include "sqlite_schema.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <vector>

namespace chalk::server {

namespace {

// Rows in one transaction at most: bounds the wait of the last writer in a burst.
constexpr size_t maxBatch = 1024;

} // namespace

void SqliteWorker::shutdown()
{
    pool.start([this] {
        while (runBatch()) {
        }
        closeOnThread();
    });
    pool.waitForDone();
    // Closed last, this connection folds the WAL into the database file.
    checkpointPool.start([this] { closeConnection(checkpointDb, connectionName + "-ckpt"); });
    checkpointPool.waitForDone();
}

void SqliteWorker::enqueue(WriteOp op)
{
    QMutexLocker lock(&queueMutex);
    queue.push_back(std::move(op));
    if (!writerScheduled) {
        writerScheduled = true;
        pool.start([this] { runScheduledBatch(); });
    }
}

void SqliteWorker::runScheduledBatch()
{
    runBatch();
    QMutexLocker lock(&queueMutex);
    if (queue.empty()) {
        writerScheduled = false;
        return;
    }
    // More writes arrived during that commit: they form the next transaction. Requeue
    // rather than loop, so reads already waiting in the pool get their turn in between.
    pool.start([this] { runScheduledBatch(); });
}

bool SqliteWorker::runBatch()
{
    std::vector<WriteOp> batch;
    {
        QMutexLocker lock(&queueMutex);
        // Everything queued, up to maxBatch; an op that wants to be alone ends the batch
        // before it, or is the batch.
        while (!queue.empty() && batch.size() < maxBatch &&
               (batch.empty() || !queue.front().alone)) {
            batch.push_back(std::move(queue.front()));
            queue.pop_front();
            if (batch.back().alone)
                break;
        }
    }
    if (batch.empty())
        return false;
    lastSqlThread = QThread::currentThread();
    bool committed = false;
    if (!opened) {
        setError(QStringLiteral("database is not open"));
    } else if (exec(query(QStringLiteral("BEGIN IMMEDIATE")))) {
        bool allOk = true;
        for (WriteOp &op : batch)
            allOk = op.run() && allOk;
        const bool rollBack = batch.size() == 1 && batch.front().alone && !allOk;
        // WAL with synchronous=NORMAL: COMMIT appends to the WAL file with write(), without
        // fsync. A committed write survives a crash or SIGKILL of this process (the OS has
        // it); only a power loss or kernel crash may lose the last transactions.
        committed = !rollBack && exec(query(QStringLiteral("COMMIT")));
        if (committed) {
            ++commits;
            scheduleCheckpoint();
        } else
            exec(query(QStringLiteral("ROLLBACK")));
    }
    for (WriteOp &op : batch)
        op.complete(committed);
    return true;
}

bool SqliteWorker::openOnThread()
{
    if (opened)
        return true;
    const QFileInfo info(path);
    if (info.isDir()) {
        setError(QStringLiteral("cannot open database %1: it is a directory").arg(path));
        return false;
    }
    const QString folder = info.absolutePath();
    if (!QDir().mkpath(folder)) {
        setError(
            QStringLiteral("cannot open database %1: cannot create folder %2").arg(path, folder));
        return false;
    }
    db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    db.setDatabaseName(path);
    if (!db.open()) {
        setError(QStringLiteral("cannot open database %1: %2").arg(path, db.lastError().text()));
        closeOnThread();
        return false;
    }
    QSqlQuery q(db);
    const bool wal = q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) && q.next() &&
                     q.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) == 0;
    q.finish();
    if (!wal) {
        setError(QStringLiteral("cannot open database %1: WAL mode refused (%2)")
                     .arg(path, q.lastError().text()));
        closeOnThread();
        return false;
    }
    // NORMAL is durable against a crash of the process in WAL mode (see runBatch).
    // wal_autocheckpoint: only a backstop (40 MB) if the checkpoint thread cannot keep up.
    for (const char *pragma :
         {"PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000",
          "PRAGMA temp_store=MEMORY", "PRAGMA wal_autocheckpoint=10000"}) {
        if (!q.exec(QLatin1String(pragma))) {
            setError(QStringLiteral("cannot open database %1: %2 failed: %3")
                         .arg(path, QLatin1String(pragma), q.lastError().text()));
            closeOnThread();
            return false;
        }
    }
    QString schemaError;
    if (!sqlite_schema::upgrade(db, &schemaError)) {
        setError(QStringLiteral("cannot open database %1: %2").arg(path, schemaError));
        closeOnThread();
        return false;
    }
    opened = true;
    return true;
}

void SqliteWorker::closeOnThread()
{
    statements.clear();
    opened = false;
    closeConnection(db, connectionName);
}

void SqliteWorker::closeConnection(QSqlDatabase &connection, const QString &name)
{
    if (connection.isValid()) {
        connection.close();
        connection = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
    }
}

void SqliteWorker::scheduleCheckpoint()
{
    // Every 32 transactions: with batches of one to a thousand writes, that keeps the WAL
    // at a few MB without checkpointing (two fsyncs) for every trickle of messages.
    if (++commitsSinceCheckpoint < 32 || checkpointRunning.exchange(true))
        return;
    commitsSinceCheckpoint = 0;
    checkpointPool.start([this] {
        const QString name = connectionName + QStringLiteral("-ckpt");
        if (!checkpointDb.isValid()) {
            checkpointDb = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            checkpointDb.setDatabaseName(path);
            if (!checkpointDb.open())
                closeConnection(checkpointDb, name); // the writer's backstop takes over
        }
        if (checkpointDb.isOpen()) {
            QSqlQuery q(checkpointDb);
            // PASSIVE: never waits for, nor blocks, the writer or readers.
            q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
        }
        checkpointRunning = false;
    });
}

QSqlQuery &SqliteWorker::query(const QString &sql)
{
    auto it = statements.find(sql);
    if (it == statements.end()) {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.prepare(sql))
            setError(QStringLiteral("%1 (in: %2)").arg(q.lastError().text(), sql));
        it = statements.insert(sql, q);
    }
    return *it;
}

bool SqliteWorker::exec(QSqlQuery &q)
{
    if (q.exec())
        return true;
    setError(q.lastError().text());
    q.finish();
    return false;
}

} // namespace chalk::server
