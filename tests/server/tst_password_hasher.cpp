// PasswordHasher on its own (password_hasher.h): a hash verifies with its password and no
// other, an unknown account never does, and the hashing threads run at idle priority (Linux:
// SCHED_IDLE), so under load they take the CPU the event loop leaves over instead of a share
// of it (docs/PERFORMANCE.md "Logins under load"). Libsodium's minimum work factor.
#include "server/password_hasher.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTest>

#ifdef Q_OS_LINUX
#include <sched.h>
#endif

using namespace chalk::server;

namespace {

// Thread ids of this process, with `policy` only those of that scheduling policy (-1: all);
// read from /proc: field 41 of each task's stat, counted after the command name, which may
// hold spaces and parentheses.
QSet<QString> threads(int policy = -1)
{
    QSet<QString> ids;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile stat(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!stat.open(QIODevice::ReadOnly))
            continue; // the thread ended meanwhile
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        // fields[0] is field 3 (state); field 41 (policy) is fields[38].
        if (policy < 0 || (fields.size() > 38 && fields[38].trimmed().toInt() == policy))
            ids.insert(tid);
    }
    return ids;
}

} // namespace

class TestPasswordHasher : public QObject {
    Q_OBJECT
private slots:
    void hashVerifiesWithItsPasswordOnly()
    {
        PasswordHasher hasher(PasswordHasher::minimumWork());
        QFuture<QByteArray> hashing = hasher.hash(QStringLiteral("correct horse"));
        const QByteArray stored = hashing.result();
        QVERIFY(stored.startsWith("$argon2id$"));
        QVERIFY(hasher.verify(stored, QStringLiteral("correct horse")).result());
        QVERIFY(!hasher.verify(stored, QStringLiteral("correct horsE")).result());
        // No account: checked against the stand-in hash, never a match.
        QVERIFY(!hasher.verify(QByteArray(), QStringLiteral("correct horse")).result());
    }

    void hashesRunAtIdlePriority()
    {
#ifdef Q_OS_LINUX
        // Any thread alive now (an earlier pool's may still be ending) is not the new pool's.
        const QSet<QString> before = threads();
        PasswordHasher hasher(PasswordHasher::minimumWork());
        QFuture<QByteArray> hashing = hasher.hash(QStringLiteral("first password"));
        QVERIFY(!hashing.result().isEmpty());
        // The pool keeps a thread for 30 s after its last task: the one that hashed is there.
        const QSet<QString> newIdle = threads(SCHED_IDLE) - before;
        QVERIFY(!newIdle.isEmpty());
        // ... and it is the only new thread: none hashes at normal priority.
        QCOMPARE(threads() - before, newIdle);
#else
        QSKIP("thread scheduling policies are read from Linux's /proc");
#endif
    }
};

QTEST_GUILESS_MAIN(TestPasswordHasher)
#include "tst_password_hasher.moc"
