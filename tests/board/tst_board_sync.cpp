// Two (and three) board windows on one in-process server, over real sockets: a stroke drawn
// with the mouse in one window shows in the other while it is drawn and ends with the same
// points; undo and clear show on both; a late joiner gets the whole board; a stroke drawn
// while the server is away reaches the other window after the reconnect.
#include "board/board_model.h"
#include "board/chat_board_link.h"
#include "board_scene.h"
#include "board_test_window.h"
#include "board_view.h"
#include "board_widget.h"
#include "client/chat_client.h"
#include "client/settings_store.h"
#include "server/chat_server.h"
#include "server/server_options.h"
#include "server/storage/memory_storage.h"
#include "server/storage/sqlite_storage.h"
#include "stroke_item.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace chalk;
using board::BoardModel;
using client::ChatClient;

using test::kWait;
using test::Window;

class TestBoardSync : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void strokeArrivesWhileDrawnWithSamePoints();
    void undoAndClearShowOnBoth();
    void lateJoinerGetsWholeBoard();
    void lateJoinerGetsBigBoard();
    void strokeDrawnOfflineReachesRoomAfterReconnect();

private:
    std::unique_ptr<server::ChatServer> m_server;
};

void TestBoardSync::init()
{
    m_server = std::make_unique<server::ChatServer>(std::make_unique<server::MemoryStorage>());
    QVERIFY(QCoro::waitFor(m_server->start()));
}

void TestBoardSync::cleanup()
{
    QCoro::waitFor(m_server->stop());
    m_server.reset();
}

void TestBoardSync::strokeArrivesWhileDrawnWithSamePoints()
{
    Window a, b;
    const QString room = test::bothInOneRoom(m_server->url(), a, b);
    QVERIFY(!room.isEmpty());
    QVERIFY(a.link.sender()->appendSupported()); // our server: strokes stream as appends
    QVERIFY(a.model.undoSupported());

    a.widget.resize(900, 700);
    a.widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&a.widget));
    a.widget.setInkColor(QStringLiteral("#e02d25"));
    a.widget.setStrokeWidth(10);

    QTest::mousePress(a.viewport(), Qt::LeftButton, {}, a.at({100, 100}));
    QTest::mouseMove(a.viewport(), a.at({140, 120}));
    QTest::mouseMove(a.viewport(), a.at({180, 150}));
    const QString uuid = a.model.liveStroke();
    QVERIFY(!uuid.isEmpty());
    QCOMPARE(a.model.lineCount(), 1); // under the pointer at once

    // While the button is still down, the other window gets the stroke so far.
    QTRY_VERIFY_WITH_TIMEOUT(b.model.line(uuid) && b.model.line(uuid)->points.size() >= 6, kWait);
    QVERIFY(b.widget.scene()->item(uuid));
    QVERIFY(a.model.isDrawing());
    QCOMPARE(b.model.line(uuid)->points, a.model.line(uuid)->points.mid(0, 6));

    // More points: the remote item grows in place (the same item).
    ui::StrokeItem *remoteItem = b.widget.scene()->item(uuid);
    QTest::mouseMove(a.viewport(), a.at({220, 160}));
    QTest::mouseMove(a.viewport(), a.at({260, 200}));
    QTRY_VERIFY_WITH_TIMEOUT(b.model.line(uuid)->points.size() >= 10, kWait);
    QCOMPARE(b.widget.scene()->item(uuid), remoteItem);
    QVERIFY(a.model.isDrawing());

    QSignalSpy echoes(&a.client, &ChatClient::drawLineChanged);
    QTest::mouseRelease(a.viewport(), Qt::LeftButton, {}, a.at({300, 210}));
    QVERIFY(!a.model.isDrawing());
    const QList<double> drawn = a.model.line(uuid)->points;
    QCOMPARE(drawn.size(), 12);
    QTRY_COMPARE_WITH_TIMEOUT(b.model.line(uuid)->points, drawn, kWait);
    QCOMPARE(remoteItem->pointCount(), 6);
    const protocol::Line *remote = b.model.line(uuid);
    QCOMPARE(remote->color, QStringLiteral("#e02d25"));
    QCOMPARE(remote->tool, QStringLiteral("pen"));
    QCOMPARE(remote->width, 10.0);
    QCOMPARE(remote->userUuid, a.client.user().uuid);

    // The drawer's own echo of the full line came back, and neither duplicated nor changed
    // the stroke.
    const auto fullEchoSeen = [&] {
        for (const auto &args : echoes) {
            if (args.at(0).value<protocol::Line>().points == drawn)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(fullEchoSeen(), kWait);
    QCOMPARE(a.model.lineCount(), 1);
    QCOMPARE(a.widget.scene()->strokeCount(), 1);
    QCOMPARE(a.model.line(uuid)->points, drawn);
    QCOMPARE(b.model.lineCount(), 1);
}

void TestBoardSync::undoAndClearShowOnBoth()
{
    Window a, b;
    const QString room = test::bothInOneRoom(m_server->url(), a, b);
    QVERIFY(!room.isEmpty());
    a.widget.resize(800, 600);
    a.widget.show();
    b.widget.resize(800, 600);
    b.widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&b.widget));

    auto stroke = [](Window &w, QPointF from, QPointF to) {
        QTest::mousePress(w.viewport(), Qt::LeftButton, {}, w.at(from));
        QTest::mouseMove(w.viewport(), w.at((from + to) / 2));
        QTest::mouseRelease(w.viewport(), Qt::LeftButton, {}, w.at(to));
    };
    stroke(a, {50, 50}, {150, 80});
    stroke(b, {300, 300}, {400, 320});
    stroke(a, {60, 200}, {160, 240});
    QTRY_COMPARE_WITH_TIMEOUT(a.model.lineCount(), 3, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(b.model.lineCount(), 3, kWait);
    // The same drawing order on both screens, whatever order the server took them in.
    const auto order = [](const BoardModel &m) {
        QStringList uuids;
        for (const auto &l : m.lines())
            uuids << l.uuid;
        return uuids;
    };
    QTRY_COMPARE_WITH_TIMEOUT(order(a.model), order(b.model), kWait);
    const QString aLast = a.model.lastOwnLine();
    QVERIFY(!aLast.isEmpty());
    const QString bOwn = b.model.lastOwnLine();
    QVERIFY(bOwn != aLast);
    QString aFirst;
    for (const auto &l : a.model.lines()) {
        if (l.uuid != aLast && l.uuid != bOwn)
            aFirst = l.uuid;
    }

    // Undo in A takes A's last stroke off both boards, not B's.
    a.widget.findChild<QAction *>(QStringLiteral("boardUndo"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(b.model.lineCount(), 2, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(a.model.lineCount(), 2, kWait);
    QCOMPARE(b.model.line(aLast), nullptr);
    QCOMPARE(b.widget.scene()->item(aLast), nullptr);
    QCOMPARE(a.widget.scene()->item(aLast), nullptr);
    QVERIFY(b.model.line(aFirst));
    // Undo in B takes B's own stroke.
    b.widget.findChild<QAction *>(QStringLiteral("boardUndo"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(a.model.lineCount(), 1, kWait);
    QCOMPARE(a.model.lineAt(0).uuid, aFirst);
    QCOMPARE(a.model.line(bOwn), nullptr);

    // Clear in B, confirmed in its dialog: both boards empty.
    QTimer::singleShot(0, this, [] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        box->button(QMessageBox::Yes)->click();
    });
    b.widget.findChild<QAction *>(QStringLiteral("boardClear"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(a.model.lineCount(), 0, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(b.model.lineCount(), 0, kWait);
    QCOMPARE(a.widget.scene()->strokeCount(), 0);
    QCOMPARE(b.widget.scene()->strokeCount(), 0);

    // A cancelled clear sends nothing.
    stroke(a, {50, 50}, {150, 80});
    QTRY_COMPARE_WITH_TIMEOUT(b.model.lineCount(), 1, kWait);
    QTimer::singleShot(0, this, [] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        box->button(QMessageBox::Cancel)->click();
    });
    b.widget.findChild<QAction *>(QStringLiteral("boardClear"))->trigger();
    stroke(b, {300, 300}, {400, 320}); // goes after any reset B might have sent
    QTRY_COMPARE_WITH_TIMEOUT(a.model.lineCount(), 2, kWait);
    QCOMPARE(b.model.lineCount(), 2);
}

void TestBoardSync::lateJoinerGetsWholeBoard()
{
    Window a, b;
    const QString room = test::bothInOneRoom(m_server->url(), a, b);
    QVERIFY(!room.isEmpty());
    a.widget.resize(800, 600);
    a.widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&a.widget));
    for (int i = 0; i < 5; ++i) {
        QTest::mousePress(a.viewport(), Qt::LeftButton, {}, a.at({20.0 + i * 50, 50}));
        QTest::mouseMove(a.viewport(), a.at({40.0 + i * 50, 150}));
        QTest::mouseRelease(a.viewport(), Qt::LeftButton, {}, a.at({30.0 + i * 50, 300}));
    }
    a.widget.setTool(QStringLiteral("eraser"));
    QTest::mousePress(a.viewport(), Qt::LeftButton, {}, a.at({10, 100}));
    QTest::mouseRelease(a.viewport(), Qt::LeftButton, {}, a.at({300, 100}));
    QCOMPARE(a.model.lineCount(), 6);
    // The server has handled every line once a member of the room has seen the last one.
    QTRY_VERIFY_WITH_TIMEOUT(
        b.model.lineCount() == 6 && b.model.lineAt(5).points == a.model.lineAt(5).points, kWait);

    Window c;
    QVERIFY(c.connectTo(m_server->url()));
    QVERIFY(c.enter(room));
    QCOMPARE(c.model.lineCount(), 6);
    for (int i = 0; i < 6; ++i) {
        QCOMPARE(c.model.lineAt(i).uuid, a.model.lineAt(i).uuid);
        QCOMPARE(c.model.lineAt(i).points, a.model.lineAt(i).points);
        QCOMPARE(c.model.lineAt(i).tool, a.model.lineAt(i).tool);
    }
    QCOMPARE(c.model.lineAt(5).tool, QStringLiteral("eraser"));
    QCOMPARE(c.widget.scene()->strokeCount(), 6);
    // The pictures agree.
    QCOMPARE(c.widget.scene()->renderImage(1.0), a.widget.scene()->renderImage(1.0));
}

void TestBoardSync::lateJoinerGetsBigBoard()
{
    // A drawing_got well over 64 KiB: ChatClient reads it with decodeDrawingGot, the scene
    // bakes it on worker threads without items. Lines go in as fast as the socket takes them.
    server::ServerOptions options;
    options.callRate = 0;
    options.frameRate = 0; // the lines go in as one burst, far above a drawing hand's rate
    server::ChatServer big(std::make_unique<server::MemoryStorage>(), options);
    QVERIFY(QCoro::waitFor(big.start()));
    Window a;
    QVERIFY(a.connectTo(big.url()));
    const QString room = test::makeRoom(a);
    QVERIFY(a.enter(room));
    QList<protocol::Line> sent;
    for (int i = 0; i < 1200; ++i) {
        protocol::Line l;
        l.uuid = protocol::newUuid();
        l.tool = i % 9 == 0 ? QStringLiteral("eraser") : QStringLiteral("pen");
        l.color = i % 2 ? QStringLiteral("#000000cc") : QStringLiteral("#e02d25");
        l.width = 1 + i % 20;
        for (int k = 0; k < 40; ++k)
            l.points << (i % 600) + k * 0.5 << std::round((10 + (i * 7 + k) % 460) * 10.3) / 10;
        sent.append(l);
        QVERIFY(a.client.changeDrawLine(l));
    }
    QTRY_COMPARE_WITH_TIMEOUT(a.model.lineCount(), 1200, kWait);

    Window c;
    QVERIFY(c.connectTo(big.url()));
    QSignalSpy got(&c.client, &ChatClient::drawingGot);
    qsizetype frameSize = 0;
    connect(&c.client, &ChatClient::statementLogged, this,
            [&](ChatClient::Direction, const QString &, const QString &name, const QString &raw) {
                if (name == QLatin1String("drawing_got"))
                    frameSize = raw.size();
            });
    c.client.enterRoom(room);
    QTRY_COMPARE_WITH_TIMEOUT(c.model.lineCount(), 1200, kWait);
    QCOMPARE(got.count(), 1);
    QVERIFY2(frameSize > 64 * 1024, qPrintable(QString::number(frameSize))); // the fast reader
    for (int i = 0; i < 1200; ++i) {
        const protocol::Line &l = c.model.lineAt(i);
        QCOMPARE(l.uuid, sent[i].uuid);
        QCOMPARE(l.points, sent[i].points);
        QCOMPARE(l.tool, sent[i].tool);
        QCOMPARE(l.color, sent[i].color);
        QCOMPARE(l.width, sent[i].width);
    }
    ui::BoardScene *scene = c.widget.scene();
    QTRY_VERIFY_WITH_TIMEOUT(!scene->isRebaking() && scene->bakedCount() == 1200, kWait);
    QCOMPARE(scene->itemStrokeCount(), 0);
    QCOMPARE(scene->renderImage(1.0), a.widget.scene()->renderImage(1.0));
    QCoro::waitFor(big.stop());
}

void TestBoardSync::strokeDrawnOfflineReachesRoomAfterReconnect()
{
    // A server on SQLite that can be stopped and started again on its port (issue 12, 1).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString db = dir.filePath(QStringLiteral("board.db"));
    const auto startServer = [&db](quint16 port) {
        server::ServerOptions options;
        options.port = port;
        auto s = std::make_unique<server::ChatServer>(std::make_unique<server::SqliteStorage>(db),
                                                      options);
        return QCoro::waitFor(s->start()) ? std::move(s) : nullptr;
    };
    std::unique_ptr<server::ChatServer> srv = startServer(0);
    QVERIFY(srv);
    const quint16 port = srv->port();

    Window a, b;
    QVERIFY(a.connectTo(srv->url()) && b.connectTo(srv->url()));
    const QString room = test::makeRoom(a);
    QVERIFY(!room.isEmpty() && a.enter(room) && b.enter(room));
    a.widget.resize(800, 600);
    a.widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&a.widget));
    QVERIFY(a.widget.offlineText().isEmpty());

    QCoro::waitFor(srv->stop());
    srv.reset();
    QTRY_COMPARE_WITH_TIMEOUT(a.client.state(), ChatClient::State::Reconnecting, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!a.widget.offlineText().isEmpty(), kWait); // says so plainly

    auto stroke = [](Window &w, QPointF from, QPointF to) {
        QTest::mousePress(w.viewport(), Qt::LeftButton, {}, w.at(from));
        QTest::mouseMove(w.viewport(), w.at((from + to) / 2));
        QTest::mouseRelease(w.viewport(), Qt::LeftButton, {}, w.at(to));
    };
    // Drawn offline: on A's board at once, and waiting in the outbox.
    stroke(a, {60, 60}, {200, 120});
    QCOMPARE(a.model.lineCount(), 1);
    const QString kept = a.model.lineAt(0).uuid;
    const QList<double> drawn = a.model.lineAt(0).points;
    QCOMPARE(a.link.waitingCount(), 1);
    QVERIFY(a.widget.offlineText().contains(QStringLiteral("1 change")));
    // A second stroke, taken back before the link returns: it never reaches anyone.
    stroke(a, {300, 300}, {420, 360});
    QCOMPARE(a.model.lineCount(), 2);
    const QString undone = a.model.lastOwnLine();
    QVERIFY(undone != kept);
    a.widget.findChild<QAction *>(QStringLiteral("boardUndo"))->trigger();
    QCOMPARE(a.model.lineCount(), 1);
    QCOMPARE(a.link.waitingCount(), 1);
    // Clearing is refused while offline, and says why.
    a.widget.findChild<QAction *>(QStringLiteral("boardClear"))->trigger();
    QCOMPARE(a.model.lineCount(), 1);
    QVERIFY(a.widget.findChild<QLabel *>(QStringLiteral("boardNotice"))
                ->text()
                .contains(QStringLiteral("Offline")));

    srv = startServer(port);
    QVERIFY(srv);
    QTRY_COMPARE_WITH_TIMEOUT(a.client.currentRoomUuid(), room, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(b.client.currentRoomUuid(), room, kWait);
    // Delivered once: B has it with the same points, A still shows it, nothing waits.
    QTRY_VERIFY_WITH_TIMEOUT(b.model.line(kept) && b.model.line(kept)->points == drawn, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(a.link.waitingCount(), 0, kWait);
    QVERIFY(a.client.outbox()->isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(a.widget.offlineText().isEmpty(), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(a.model.lineCount(), 1, kWait);
    QCOMPARE(a.model.lineAt(0).uuid, kept);
    QCOMPARE(b.model.lineCount(), 1);
    QCOMPARE(b.model.line(undone), nullptr);

    // Stored, too: a late joiner gets it.
    Window c;
    QVERIFY(c.connectTo(srv->url()) && c.enter(room));
    QCOMPARE(c.model.lineCount(), 1);
    QCOMPARE(c.model.lineAt(0).points, drawn);
    QCoro::waitFor(srv->stop());
}

QTEST_MAIN(TestBoardSync)
#include "tst_board_sync.moc"
