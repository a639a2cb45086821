// The board's editing and viewing tools, in two windows on one in-process server over real
// sockets: Ctrl+Z / Ctrl+Shift+Z take back and bring back one's own stroke on both screens,
// the room is told who cleared the board, and zooming (Ctrl+wheel around the pointer, the
// keys, Fit) and panning (middle button) keep strokes landing where they are drawn.
#include "board_scene.h"
#include "board_test_window.h"
#include "server/chat_server.h"
#include "server/storage/memory_storage.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>
#include <QWheelEvent>

using namespace chalk;
using board::BoardModel;
using client::ChatClient;
using test::kWait;
using test::Window;

namespace {

QString noticeOf(const Window &w)
{
    const auto *label = w.widget.findChild<QLabel *>(QStringLiteral("boardNotice"));
    return label && label->isVisibleTo(&w.widget) ? label->text() : QString();
}

QString fitButtonText(const Window &w)
{
    for (const auto *b : w.widget.findChildren<QToolButton *>()) {
        if (b->defaultAction() && b->defaultAction()->objectName() == QLatin1String("boardFit"))
            return b->text();
    }
    return {};
}

// Ctrl+wheel by `notches` (120 each) at a viewport position.
void ctrlWheel(QWidget *viewport, QPointF at, int notches)
{
    QWheelEvent e(at, viewport->mapToGlobal(at), QPoint(), QPoint(0, 120 * notches), Qt::NoButton,
                  Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport, &e);
}

} // namespace

class TestBoardTools : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void redoBringsTheStrokeBackOnBoth();
    void theRoomIsToldWhoClearedTheBoard();
    void zoomKeepsThePointUnderThePointer();
    void panningMovesAZoomedBoard();

private:
    std::unique_ptr<server::ChatServer> m_server;
};

void TestBoardTools::init()
{
    m_server = std::make_unique<server::ChatServer>(std::make_unique<server::MemoryStorage>());
    QVERIFY(QCoro::waitFor(m_server->start()));
}

void TestBoardTools::cleanup()
{
    QCoro::waitFor(m_server->stop());
    m_server.reset();
}

void TestBoardTools::redoBringsTheStrokeBackOnBoth()
{
    Window a, b;
    QVERIFY(!test::bothInOneRoom(m_server->url(), a, b).isEmpty());
    a.widget.resize(800, 600);
    a.widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&a.widget));
    a.widget.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&a.widget));

    a.widget.setInkColor(QStringLiteral("#1565c0"));
    a.stroke({100, 100}, {300, 180});
    QTRY_COMPARE_WITH_TIMEOUT(b.model.lineCount(), 1, kWait);
    const protocol::Line drawn = b.model.lineAt(0);

    // The keys, as a user presses them (the shortcuts work wherever the focus is in the tab).
    QTest::keyClick(a.viewport(), Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(b.model.lineCount(), 0, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(a.model.lineCount(), 0, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(a.model.canRedo(), kWait);

    QTest::keyClick(a.viewport(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_COMPARE_WITH_TIMEOUT(b.model.lineCount(), 1, kWait);
    const protocol::Line again = b.model.lineAt(0);
    QCOMPARE(again.points, drawn.points);
    QCOMPARE(again.color, drawn.color);
    QCOMPARE(again.width, drawn.width);
    QCOMPARE(again.userUuid, a.client.user().uuid);
    QTRY_COMPARE_WITH_TIMEOUT(a.model.lineCount(), 1, kWait);
    QCOMPARE(a.model.lineAt(0).uuid, again.uuid);
    QCOMPARE(b.widget.scene()->strokeCount(), 1);

    // The redone stroke is an ordinary one of A's: it can be undone again, and B cannot
    // redo what A undid.
    QVERIFY(!b.model.canRedo());
    QTest::keyClick(a.viewport(), Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(b.model.lineCount(), 0, kWait);
    // Ctrl+Y does the same as Ctrl+Shift+Z.
    QTRY_VERIFY_WITH_TIMEOUT(a.model.canRedo(), kWait);
    QTest::keyClick(a.viewport(), Qt::Key_Y, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(b.model.lineCount(), 1, kWait);

    // Nothing left to redo: the board says so rather than doing nothing silently.
    QVERIFY(!a.model.canRedo());
    QTest::keyClick(a.viewport(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(noticeOf(a), QStringLiteral("Nothing of yours to redo"));
}

void TestBoardTools::theRoomIsToldWhoClearedTheBoard()
{
    Window a, b;
    QVERIFY(!test::bothInOneRoom(m_server->url(), a, b).isEmpty());
    QSignalSpy renamed(&b.client, &ChatClient::userChanged);
    b.client.changeUserName(QStringLiteral("Bob"));
    QVERIFY(renamed.wait(kWait));
    a.widget.resize(800, 600);
    a.widget.show();
    b.widget.resize(800, 600);
    b.widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&b.widget));
    a.stroke({50, 50}, {150, 80});
    QTRY_COMPARE_WITH_TIMEOUT(b.model.lineCount(), 1, kWait);
    QCOMPARE(noticeOf(a), QString());

    QTimer::singleShot(0, this, [] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        box->button(QMessageBox::Yes)->click();
    });
    b.widget.findChild<QAction *>(QStringLiteral("boardClear"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(a.model.lineCount(), 0, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(noticeOf(a), QStringLiteral("Bob cleared the board"), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(noticeOf(b), QStringLiteral("You cleared the board"), kWait);

    // Entering a room (a board loaded, not cleared) names nobody.
    Window c;
    QVERIFY(c.connectTo(m_server->url()));
    QSignalSpy cleared(&c.link, &board::ChatBoardLink::cleared);
    QVERIFY(c.enter(a.client.currentRoomUuid()));
    QTest::qWait(100);
    QCOMPARE(cleared.count(), 0);
}

void TestBoardTools::zoomKeepsThePointUnderThePointer()
{
    Window a, b;
    QVERIFY(!test::bothInOneRoom(m_server->url(), a, b).isEmpty());
    a.widget.resize(800, 600);
    a.widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&a.widget));
    ui::BoardView *view = a.widget.view();
    QCOMPARE(view->zoom(), 1.0);
    QCOMPARE(fitButtonText(a), QStringLiteral("Fit"));

    // Ctrl+wheel two notches over a point of the board: zoomed in, that point stays put.
    const QPointF logical(400, 200); // the canvas is 640 x 480
    const QPointF pointer = view->mapFromScene(logical);
    ctrlWheel(a.viewport(), pointer, 2);
    QVERIFY(view->zoom() > 1.5);
    const QPointF under = view->canvasPoint(pointer);
    QVERIFY2(std::abs(under.x() - logical.x()) < 1.5 && std::abs(under.y() - logical.y()) < 1.5,
             qPrintable(QStringLiteral("%1,%2").arg(under.x()).arg(under.y())));
    QCOMPARE(fitButtonText(a), QStringLiteral("%1 %").arg(qRound(view->zoom() * 100)));

    // A stroke drawn on the zoomed board lands where it was drawn, for the other window too.
    a.stroke({390, 190}, {440, 220});
    QTRY_COMPARE_WITH_TIMEOUT(b.model.lineCount(), 1, kWait);
    const QList<double> points = b.model.lineAt(0).points;
    QVERIFY(points.size() >= 4);
    QVERIFY(std::abs(points[0] - 390) < 1.5 && std::abs(points[1] - 190) < 1.5);
    QVERIFY(std::abs(points.last() - 220) < 1.5);

    // Never past 8x, never below the whole board.
    ctrlWheel(a.viewport(), pointer, 40);
    QCOMPARE(view->zoom(), ui::BoardView::maxZoom());
    ctrlWheel(a.viewport(), pointer, -60);
    QCOMPARE(view->zoom(), 1.0);

    // The keys: Ctrl+= in, Ctrl+- out, Ctrl+0 back to the whole board.
    a.widget.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&a.widget));
    QTest::keyClick(a.viewport(), Qt::Key_Equal, Qt::ControlModifier);
    QTest::keyClick(a.viewport(), Qt::Key_Equal, Qt::ControlModifier);
    QVERIFY(view->zoom() > 1.5);
    QTest::keyClick(a.viewport(), Qt::Key_Minus, Qt::ControlModifier);
    QVERIFY(view->zoom() > 1.2 && view->zoom() < 1.3);
    QTest::keyClick(a.viewport(), Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(view->zoom(), 1.0);
    QCOMPARE(fitButtonText(a), QStringLiteral("Fit"));
    // At "fit" the whole board is in view again.
    QVERIFY(view->viewport()->rect().contains(view->mapFromScene(QPointF(0, 0))));
    QVERIFY(view->viewport()->rect().contains(
        view->mapFromScene(a.widget.scene()->sceneRect().bottomRight() - QPointF(1, 1))));
}

void TestBoardTools::panningMovesAZoomedBoard()
{
    Window a;
    QVERIFY(a.connectTo(m_server->url()));
    QVERIFY(a.enter(test::makeRoom(a)));
    a.widget.resize(800, 600);
    a.widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&a.widget));
    ui::BoardView *view = a.widget.view();
    const QPointF centre = QRectF(view->viewport()->rect()).center();
    view->setZoom(4);
    const QPointF before = view->canvasPoint(centre);

    // Dragging with the middle button moves the board with the pointer, and draws nothing.
    const QPoint from = centre.toPoint();
    const QPoint to = from + QPoint(-120, -80);
    QTest::mousePress(a.viewport(), Qt::MiddleButton, {}, from);
    QMouseEvent move(QEvent::MouseMove, QPointF(to), a.viewport()->mapToGlobal(QPointF(to)),
                     Qt::NoButton, Qt::MiddleButton, {});
    QApplication::sendEvent(a.viewport(), &move);
    QTest::mouseRelease(a.viewport(), Qt::MiddleButton, {}, to);
    const QPointF after = view->canvasPoint(centre);
    const double scale = view->transform().m11();
    QVERIFY2(std::abs((after.x() - before.x()) * scale - 120) < 2 &&
                 std::abs((after.y() - before.y()) * scale - 80) < 2,
             qPrintable(QStringLiteral("moved %1,%2 at scale %3")
                            .arg(after.x() - before.x())
                            .arg(after.y() - before.y())
                            .arg(scale)));
    QCOMPARE(a.model.lineCount(), 0);
}

QTEST_MAIN(TestBoardTools)
#include "tst_board_tools.moc"
