// chalkroom-server as a process: serving, clean stop on SIGTERM/SIGINT, data kept across a
// restart, clear failures for bad flags and storage. (That each flag takes effect:
// tst_server_flags.)
#include "server_process.h"
#include "server_steps.h"

#include <QJsonArray>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace chalk::test;

class TestServerExecutable : public QObject {
    Q_OBJECT

private slots:
    void servesAndStopsOnSigterm()
    {
        Running r = launch({"--host", "127.0.0.1", "--port", "0", "--storage", "memory"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(c.openAndWelcome(r.url));
        QVERIFY(!createRoom(c).isEmpty());
        r.process->terminate(); // SIGTERM
        QCOMPARE(finish(*r.process), 0);
        QVERIFY(c.waitClosed());
    }

    void sqliteKeepsRoomsAcrossARestartAfterSigint()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString spec = "sqlite:" + dir.filePath("chalk.db");
        QString room, token, uuid;
        {
            Running r = launch({"--port", "0", "--storage", spec});
            QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
            TestClient c;
            QVERIFY(c.openAndWelcome(r.url));
            token = c.token();
            uuid = c.userUuid();
            QCOMPARE(answerName(c.request("change_user_name", {{"name", "Persistent"}})),
                     QStringLiteral("user_changed"));
            room = createRoom(c, {{"name", "kept"}});
            QVERIFY(enterRoom(c, room));
            QCOMPARE(answerName(say(c, "stored before the stop")),
                     QStringLiteral("message_created"));
            ::kill(pid_t(r.process->processId()), SIGINT);
            QCOMPARE(finish(*r.process), 0);
        }
        Running r = launch({"--port", "0", "--storage", spec});
        QVERIFY(r.url.isValid());
        TestClient c;
        QVERIFY(c.open(r.url));
        const auto rooms = c.waitFor("rooms_listed");
        QVERIFY(rooms);
        const QJsonArray list = rooms->payload.value("list").toArray();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].toObject().value("uuid").toString(), room);
        QCOMPARE(list[0].toObject().value("users").toArray().size(), 0); // members not kept
        QCOMPARE(list[0].toObject().value("sum").toInt(), 1);
        // The identity survives the restart too: same user, back in its room.
        const auto resumed = c.request("resume", {{"token", token}});
        QVERIFY(resumed);
        QCOMPARE(resumed->name, QStringLiteral("resumed"));
        QCOMPARE(resumed->object().value("uuid").toString(), uuid);
        QCOMPARE(resumed->object().value("name").toString(), QStringLiteral("Persistent"));
        const auto entered = c.waitFor("room_entered");
        QVERIFY(entered);
        QCOMPARE(entered->object().value("uuid").toString(), room);
        const auto history = c.waitFor("messages_listed");
        QVERIFY(history);
        QCOMPARE(history->payload.value("list").toArray().size(), 1);
        r.process->terminate();
        QCOMPARE(finish(*r.process), 0);
    }

    void portTakenFailsClearly()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        QProcess p;
        p.start(QStringLiteral(CHALK_SERVER_EXE),
                {"--port", QString::number(squatter.serverPort()), "--storage", "memory"});
        QVERIFY(p.waitForStarted());
        QVERIFY(finish(p) > 0);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains("cannot listen") &&
                     err.contains(QString::number(squatter.serverPort())),
                 qPrintable(err));
    }

    void badStorageFailsClearly_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::newRow("not a database") << QStringLiteral("sqlite:/proc/version");
        QTest::newRow("unknown kind") << QStringLiteral("redis:localhost");
    }

    void badStorageFailsClearly()
    {
        QFETCH(QString, spec);
        QProcess p;
        p.start(QStringLiteral(CHALK_SERVER_EXE), {"--port", "0", "--storage", spec});
        QVERIFY(p.waitForStarted());
        QVERIFY(finish(p) > 0);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains("storage"), qPrintable(err));
    }

    void passwordFile()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath("password"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("open sesame\n");
        file.close();
        Running r =
            launch({"--port", "0", "--storage", "memory", "--password-file", file.fileName()});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(c.open(r.url));
        const auto refused = c.next();
        QVERIFY(refused);
        QCOMPARE(refused->name, QStringLiteral("unauthorized"));
        const auto ok = c.request("authenticate", {{"password", "open sesame"}});
        QVERIFY(ok);
        QCOMPARE(ok->name, QStringLiteral("authenticated"));
        QVERIFY(c.waitFor("user_created"));
        r.process->terminate();
        QCOMPARE(finish(*r.process), 0);

        QProcess missing;
        missing.start(QStringLiteral(CHALK_SERVER_EXE), {"--port", "0", "--storage", "memory",
                                                         "--password-file", dir.filePath("nope")});
        QVERIFY(missing.waitForStarted());
        QVERIFY(finish(missing) > 0);
        QVERIFY(QString::fromUtf8(missing.readAllStandardError()).contains("--password-file"));
    }

    void badFlagsFail()
    {
        QProcess p;
        p.start(QStringLiteral(CHALK_SERVER_EXE), {"--port", "99999", "--storage", "memory"});
        QVERIFY(p.waitForStarted());
        QVERIFY(finish(p) > 0);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("--port"));
    }

    void badLimitFlagsFail_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("not a number") << QStringList{"--call-rate", "abc"} << "--call-rate";
        QTest::newRow("negative") << QStringList{"--max-rooms", "-1"} << "--max-rooms";
        QTest::newRow("zero burst") << QStringList{"--message-burst", "0"} << "--message-burst";
        QTest::newRow("tiny frames")
            << QStringList{"--max-statement-bytes", "10"} << "--max-statement-bytes";
        QTest::newRow("body over frame")
            << QStringList{"--max-body", "100000"} << "does not fit in --max-statement-bytes";
        QTest::newRow("cert without key") << QStringList{"--tls-cert", "x.pem"} << "--tls-key";
    }

    void badLimitFlagsFail()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QProcess p;
        p.start(QStringLiteral(CHALK_SERVER_EXE),
                QStringList{"--port", "0", "--storage", "memory"} + args);
        QVERIFY(p.waitForStarted());
        QCOMPARE(finish(p), 2);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(message), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestServerExecutable)
#include "tst_server_executable.moc"
