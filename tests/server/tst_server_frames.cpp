// Hostile WebSocket frames (issue 14): every frame a peer sends is counted, not only
// statements. Ping floods meet the ping budget or, when they do not read, the pending-bytes
// limit; only a pong that echoes the server's ping answers the heartbeat; unmasked frames
// close with 1002; endless empty continuation frames and binary floods are cut off (1008).
#include "raw_websocket.h"
#include "server_steps.h"
#include "test_server.h"

#include <QTcpSocket>
#include <QTest>

using namespace chalk;
using namespace chalk::test;

namespace {

// A client frame with FIN as given; masked unless `masked` is false (which clients must not).
QByteArray frame(bool fin, int opcode, const QByteArray &payload, bool masked = true)
{
    QByteArray f;
    f.append(char((fin ? 0x80 : 0) | opcode));
    Q_ASSERT(payload.size() < 126);
    f.append(char((masked ? 0x80 : 0) | payload.size()));
    if (!masked)
        return f + payload;
    const QByteArray mask("\x0a\x0b\x0c\x0d", 4);
    f.append(mask);
    for (qsizetype i = 0; i < payload.size(); ++i)
        f.append(char(payload[i] ^ mask[i % 4]));
    return f;
}

// Reads server frames until a close frame comes (its code) or the connection ends (-1);
// `seen` collects the frames before it.
int closeCode(QTcpSocket &socket, QList<ServerFrame> *seen = nullptr, int timeoutMs = 20000)
{
    QByteArray buffer;
    int code = -1;
    (void)QTest::qWaitFor(
        [&] {
            buffer += socket.readAll();
            while (auto f = takeServerFrame(buffer)) {
                if (f->opcode == 0x8) {
                    code = f->payload.size() >= 2
                               ? (quint8(f->payload[0]) << 8) | quint8(f->payload[1])
                               : 1005;
                    return true;
                }
                if (seen)
                    seen->append(*f);
            }
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    return code;
}

// Options whose rate buckets never refill during a test: the clock stands still.
server::ServerOptions heldClock(server::ServerOptions options = {})
{
    options.clockMs = [] { return qint64(1000); };
    return options;
}

} // namespace

class TestServerFrames : public QObject {
    Q_OBJECT

    TestServer m_server;

private slots:
    void cleanup() { m_server.stop(); }

    void pingsOverTheBudgetClose1008()
    {
        const server::ServerOptions options = heldClock();
        QVERIFY(m_server.start(options));
        auto raw = rawWebSocket(m_server.url());
        QVERIFY(raw);
        for (int i = 0; i < options.pingBurst + 10; ++i)
            raw->write(frame(true, 0x9, QByteArray::number(i)));
        QList<ServerFrame> seen;
        QCOMPARE(closeCode(*raw, &seen), int(QWebSocketProtocol::CloseCodePolicyViolated));
        const auto pongs = std::count_if(seen.cbegin(), seen.cend(),
                                         [](const ServerFrame &f) { return f.opcode == 0xA; });
        QCOMPARE(int(pongs), options.pingBurst);
        // Others are served.
        TestClient other;
        QVERIFY(other.openAndWelcome(m_server.url()));
    }

    void pingFloodThatNeverReadsIsCutOff()
    {
        // No ping or frame budget here: the pongs themselves must meet the pending-bytes limit.
        server::ServerOptions options = withoutRateLimits();
        options.pingRate = 0;
        options.frameRate = 0;
        options.maxPendingBytes = 64 * 1024;
        QVERIFY(m_server.start(options));
        TestClient other;
        QVERIFY(other.openAndWelcome(m_server.url()));
        auto raw = rawWebSocket(m_server.url(), 4096); // a small window, never read
        QVERIFY(raw);
        raw->setReadBufferSize(1024);
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 2; }, 10000));
        QByteArray batch;
        for (int i = 0; i < 1000; ++i)
            batch += frame(true, 0x9, QByteArray(125, 'p'));
        // ~131 KB of pongs per batch; bounded at 200 batches (26 MB) without a cut.
        int batches = 0;
        while (m_server.server->sessionCount() == 2 && batches < 200 &&
               raw->state() == QAbstractSocket::ConnectedState) {
            raw->write(batch);
            ++batches;
            (void)QTest::qWaitFor([&] { return raw->bytesToWrite() == 0; }, 2000);
        }
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 1; }, 20000));
        qInfo() << "cut off after" << batches << "batches of 1000 pings";
        QCOMPARE(answerName(other.request("list_rooms")), QStringLiteral("rooms_listed"));
    }

    void unsolicitedPongsDoNotAnswerTheHeartbeat()
    {
        server::ServerOptions options;
        options.heartbeatIntervalMs = 1500;
        options.heartbeatTimeoutMs = 1000;
        QVERIFY(m_server.start(options));
        auto raw = rawWebSocket(m_server.url());
        QVERIFY(raw);
        QVERIFY(QTest::qWaitFor([&] { return m_server.server->sessionCount() == 1; }, 10000));
        // Pongs all the time, but never the payload of the server's ping.
        QVERIFY(QTest::qWaitFor(
            [&] {
                raw->readAll();
                raw->write(frame(true, 0xA, "alive"));
                QTest::qWait(100);
                return m_server.server->sessionCount() == 0;
            },
            30000));
    }

    void pongEchoingThePingKeepsThePeer()
    {
        server::ServerOptions options;
        options.heartbeatIntervalMs = 1000;
        options.heartbeatTimeoutMs = 900;
        QVERIFY(m_server.start(options));
        auto raw = rawWebSocket(m_server.url());
        QVERIFY(raw);
        QByteArray buffer;
        int answered = 0;
        QVERIFY(QTest::qWaitFor(
            [&] {
                buffer += raw->readAll();
                while (auto f = takeServerFrame(buffer)) {
                    if (f->opcode == 0x9) {
                        raw->write(frame(true, 0xA, f->payload));
                        ++answered;
                    }
                }
                return answered >= 3 || raw->state() != QAbstractSocket::ConnectedState;
            },
            30000));
        QCOMPARE(answered, 3);
        QCOMPARE(m_server.server->sessionCount(), 1);
    }

    void unmaskedFrameCloses1002()
    {
        QVERIFY(m_server.start());
        auto raw = rawWebSocket(m_server.url());
        QVERIFY(raw);
        raw->write(
            frame(true, 0x1, R"({"type":"call","payload":{"message":"list_rooms"}})", false));
        QCOMPARE(closeCode(*raw), int(QWebSocketProtocol::CloseCodeProtocolError));
        TestClient other;
        QVERIFY(other.openAndWelcome(m_server.url()));
    }

    void endlessEmptyContinuationFramesAreCut()
    {
        QVERIFY(m_server.start(heldClock()));
        auto raw = rawWebSocket(m_server.url());
        QVERIFY(raw);
        raw->write(frame(false, 0x1, "{"));
        QByteArray batch;
        for (int i = 0; i < 1000; ++i)
            batch += frame(false, 0x0, {});
        int batches = 0;
        QByteArray buffer;
        int code = -1;
        // Bounded: 100 000 frames at most.
        while (code < 0 && batches < 100 && raw->state() == QAbstractSocket::ConnectedState) {
            raw->write(batch);
            ++batches;
            (void)QTest::qWaitFor(
                [&] {
                    buffer += raw->readAll();
                    while (auto f = takeServerFrame(buffer)) {
                        if (f->opcode == 0x8)
                            code = (quint8(f->payload[0]) << 8) | quint8(f->payload[1]);
                    }
                    return code >= 0 || raw->bytesToWrite() == 0;
                },
                2000);
        }
        if (code < 0)
            code = closeCode(*raw);
        QCOMPARE(code, int(QWebSocketProtocol::CloseCodePolicyViolated));
        qInfo() << "closed after" << batches << "batches of 1000 empty continuation frames";
    }

    void binaryFloodIsCut()
    {
        QVERIFY(m_server.start(heldClock()));
        auto raw = rawWebSocket(m_server.url());
        QVERIFY(raw);
        QByteArray batch;
        for (int i = 0; i < 1000; ++i)
            batch += frame(true, 0x2, "\x01\x02\x03");
        raw->write(batch);
        QCOMPARE(closeCode(*raw), int(QWebSocketProtocol::CloseCodePolicyViolated));
    }

    void ordinaryClientsStayUnderTheBudgets()
    {
        // A client that talks within the statement limits never meets the frame budgets.
        QVERIFY(m_server.start(heldClock()));
        TestClient c;
        const QString room = openAndEnter(c, m_server.url());
        QVERIFY(!room.isEmpty());
        for (int i = 0; i < 40; ++i)
            QCOMPARE(answerName(say(c, QStringLiteral("m%1").arg(i))),
                     QStringLiteral("message_created"));
        QVERIFY(c.isConnected());
    }
};

QTEST_GUILESS_MAIN(TestServerFrames)
#include "tst_server_frames.moc"
