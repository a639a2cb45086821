// chalkroom-server as a process: flags, clean stop on SIGTERM/SIGINT, clear failures.
#include "raw_websocket.h"
#include "server_steps.h"

#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <csignal>

using namespace chalk::test;

namespace {

struct Running {
    std::unique_ptr<QProcess> process;
    QUrl url;
};

// Starts the server and waits for its "listening on ws://..." line.
Running launch(const QStringList &args)
{
    Running r;
    r.process = std::make_unique<QProcess>();
    r.process->setProgram(QStringLiteral(CHALK_SERVER_EXE));
    r.process->setArguments(args);
    r.process->start();
    if (!r.process->waitForStarted(10000))
        return r;
    QByteArray out;
    const QRegularExpression listening(QStringLiteral("listening on (ws://\\S+)"));
    (void)QTest::qWaitFor(
        [&] {
            out += r.process->readAllStandardOutput();
            const auto m = listening.match(QString::fromUtf8(out));
            if (m.hasMatch())
                r.url = QUrl(m.captured(1));
            return r.url.isValid() || r.process->state() == QProcess::NotRunning;
        },
        20000);
    return r;
}

int finish(QProcess &p)
{
    if (!p.waitForFinished(20000)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
}

Running launchMemory(const QStringList &flags)
{
    return launch(QStringList{"--host", "127.0.0.1", "--port", "0", "--storage", "memory"} + flags);
}

// SIGTERM, then a clean exit.
bool stops(Running &r)
{
    r.process->terminate();
    return finish(*r.process) == 0;
}

QJsonObject line(const QJsonArray &xy)
{
    return {{"uuid", QUuid::createUuid().toString(QUuid::WithoutBraces)},
            {"points", xy},
            {"color", "#000"},
            {"tool", "pen"}};
}

} // namespace

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

    // One test per limit flag: the program with the flag set to a small value accepts
    // exactly that much and refuses one more (the defaults are far above).
    void maxBodyFlagApplies()
    {
        Running r = launchMemory({"--max-body", "10"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(!openAndEnter(c, r.url).isEmpty());
        QCOMPARE(answerName(say(c, QString(10, u'b'))), QStringLiteral("message_created"));
        QCOMPARE(answerName(say(c, QString(11, u'b'))), QStringLiteral("data_too_long"));
        QVERIFY(stops(r));
    }

    void maxRoomNameFlagApplies()
    {
        Running r = launchMemory({"--max-room-name", "5"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(c.openAndWelcome(r.url));
        QCOMPARE(answerName(c.request("create_room", {{"name", "12345"}})),
                 QStringLiteral("room_created"));
        QCOMPARE(answerName(c.request("create_room", {{"name", "123456"}})),
                 QStringLiteral("data_too_long"));
        QVERIFY(stops(r));
    }

    void maxPointsPerLineFlagApplies()
    {
        Running r = launchMemory({"--max-points-per-line", "3"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(!openAndEnter(c, r.url).isEmpty());
        QCOMPARE(answerName(c.request("change_draw_line", line(points({1, 1, 2, 2, 3, 3})))),
                 QStringLiteral("draw_line_changed"));
        QCOMPARE(answerName(c.request("change_draw_line", line(points({1, 1, 2, 2, 3, 3, 4, 4})))),
                 QStringLiteral("data_too_long"));
        QVERIFY(stops(r));
    }

    void maxLinesPerRoomFlagApplies()
    {
        Running r = launchMemory({"--max-lines-per-room", "2"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(!openAndEnter(c, r.url).isEmpty());
        for (int i = 0; i < 2; ++i)
            QCOMPARE(answerName(c.request("change_draw_line", line(points({1, 1})))),
                     QStringLiteral("draw_line_changed"));
        QCOMPARE(answerName(c.request("change_draw_line", line(points({1, 1})))),
                 QStringLiteral("too_many_lines"));
        QVERIFY(stops(r));
    }

    void callBurstFlagApplies()
    {
        // A rate of one call per 1000 s: only the burst is served.
        Running r = launchMemory({"--call-rate", "0.001", "--call-burst", "3"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(c.openAndWelcome(r.url));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(answerName(c.request("list_rooms")), QStringLiteral("rooms_listed"));
        QCOMPARE(answerName(c.request("list_rooms")), QStringLiteral("rate_limited"));
        QVERIFY(stops(r));
    }

    void heartbeatFlagsApply()
    {
        // A peer that never answers a ping is dropped within interval + timeout (5.5 s); with
        // the default interval (25 s) it would still be there when this wait gives up.
        Running r = launchMemory({"--heartbeat-interval", "3000", "--heartbeat-timeout", "2500"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient alive; // QWebSocket answers pings by itself
        const QString room = openAndEnter(alive, r.url);
        QVERIFY(!room.isEmpty());
        auto silent = rawWebSocket(r.url);
        QVERIFY(silent);
        rawEnterRoom(*silent, room);
        QVERIFY(waitForMembers(alive, 2));
        QVERIFY(waitForMembers(alive, 1, 18000));
        QCOMPARE(answerName(say(alive, "still here")), QStringLiteral("message_created"));
        QVERIFY(stops(r));
    }

    void maxPendingBytesFlagApplies()
    {
        // Raised to 100 MB, a member that never reads keeps its connection while 8 MB wait for
        // it. Under the default (1 MB) it is cut off before that: the kernel takes at most its
        // send buffer (tcp_wmem, 4 MB) plus the reader's small window, the rest waits in the
        // server. (Cutting off itself: tst_server_hostile, through ServerOptions.)
        Running r = launchMemory(
            {"--max-pending-bytes", "100000000", "--message-rate", "0", "--call-rate", "0"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient talker;
        const QString room = openAndEnter(talker, r.url);
        QVERIFY(!room.isEmpty());
        auto reader = rawWebSocket(r.url, 4096);
        QVERIFY(reader);
        reader->setReadBufferSize(1024);
        rawEnterRoom(*reader, room);
        QVERIFY(waitForMembers(talker, 2));
        const QString body(3900, QLatin1Char('z'));
        constexpr int kMessages = 8 * 1024 * 1024 / 3900;
        for (int sent = 0; sent < kMessages;) {
            for (int i = 0; i < 64 && sent < kMessages; ++i, ++sent)
                talker.call("create_message", {{"body", body}});
            QVERIFY(talker.waitForCount("message_created", sent, 30000));
        }
        // A cut-off reader would have left the room before this answer is made.
        const auto rooms = talker.request("list_rooms");
        QCOMPARE(answerName(rooms), QStringLiteral("rooms_listed"));
        QCOMPARE(
            rooms->payload.value("list").toArray()[0].toObject().value("users").toArray().size(),
            2);
        QVERIFY(reader->state() == QAbstractSocket::ConnectedState);
        QVERIFY(stops(r));
    }

    void limitFlagsApply()
    {
        // The flags reach the server: one room at most, one message per burst.
        Running r = launch({"--port", "0", "--storage", "memory", "--max-rooms", "1",
                            "--message-rate", "0.01", "--message-burst", "1", "--max-name", "5"});
        QVERIFY2(r.url.isValid(), r.process->readAllStandardError().constData());
        TestClient c;
        QVERIFY(c.openAndWelcome(r.url));
        QVERIFY(enterRoom(c, createRoom(c)));
        auto refused = c.request("create_room");
        QVERIFY(refused);
        QCOMPARE(refused->name, QStringLiteral("too_many_rooms"));
        QCOMPARE(answerName(say(c, "one")), QStringLiteral("message_created"));
        auto limited = say(c, "two");
        QVERIFY(limited);
        QCOMPARE(limited->name, QStringLiteral("rate_limited"));
        auto longName = c.request("change_user_name", {{"name", "sixsix"}});
        QVERIFY(longName);
        QCOMPARE(longName->name, QStringLiteral("data_too_long"));
        r.process->terminate();
        QCOMPARE(finish(*r.process), 0);
    }
};

QTEST_GUILESS_MAIN(TestServerExecutable)
#include "tst_server_executable.moc"
