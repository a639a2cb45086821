// BoardModel and StrokeSender without a socket: a recording DrawTransport stands in for
// the ChatClient (the real link is exercised over sockets in tst_board_sync).
#include "board/board_canvas.h"
#include "board/board_model.h"
#include "board/draw_transport.h"
#include "board/stroke_sender.h"

#include <QSignalSpy>
#include <QTest>

using namespace chalk;
using board::BoardModel;
using protocol::Line;

namespace {

struct Sent {
    Line line;
    bool append;
};

class RecordingTransport : public board::DrawTransport {
public:
    void sendLine(const Line &line, bool append) override { sent.append({line, append}); }
    void removeLine(const QString &uuid) override { removed.append(uuid); }
    void resetDrawing() override { ++resets; }
    void requestDrawing() override { ++requests; }

    QList<Sent> sent;
    QStringList removed;
    int resets = 0;
    int requests = 0;
};

Line makeLine(const QString &uuid, QList<double> points, const QString &user = {},
              const QString &tool = QStringLiteral("pen"))
{
    Line l;
    l.uuid = uuid;
    l.points = std::move(points);
    l.tool = tool;
    l.color = QStringLiteral("#000000cc");
    l.userUuid = user;
    return l;
}

QString uuid(int n)
{
    return QStringLiteral("00000000-0000-4000-8000-%1").arg(n, 12, 10, QLatin1Char('0'));
}

} // namespace

class TestBoardModel : public QObject {
    Q_OBJECT
private slots:
    void drawingGotFillsInOrder();
    void upsertGrowsInPlace();
    void upsertReplacesFromFirstDifference();
    void upsertUnchangedSaysNothing();
    void styleChangeRedrawsWholeLine();
    void removeKeepsOrder();
    void resetEmpties();
    void ownStrokeIsOptimisticAndEchoDoesNotDuplicate();
    void chunkEchoFromOriginalServerIsIgnored();
    void coordinatesSnappedAndRepeatsDropped();
    void senderBatchesNewPointsAndSendsFullLineOnRelease();
    void senderWithoutAppendSendsWholeLines();
    void undoTakesMyMostRecentLine();
    void redoDrawsTheUndoneLineAgain();
    void resetDuringStrokeAbandonsIt();
    void longStrokeContinuesInNewLine();
    void setDrawingKeepsLiveStrokeTheServerKnows();
    void remoteLinesGoBelowOwnLinesTheServerHasNotSeen();
    void defaultsFollowTheOriginal();
};

void TestBoardModel::drawingGotFillsInOrder()
{
    BoardModel model;
    QSignalSpy added(&model, &BoardModel::lineAdded);
    QSignalSpy cleared(&model, &BoardModel::cleared);
    protocol::Drawing d;
    d.lines = {makeLine(uuid(3), {1, 1, 2, 2}), makeLine(uuid(1), {3, 3}),
               makeLine(uuid(2), {4, 4, 5, 5, 6, 6})};
    model.setDrawing(d);
    QCOMPARE(cleared.count(), 1);
    QCOMPARE(added.count(), 3);
    QCOMPARE(model.lineCount(), 3);
    QCOMPARE(model.lineAt(0).uuid, uuid(3));
    QCOMPARE(model.lineAt(1).uuid, uuid(1));
    QCOMPARE(model.lineAt(2).uuid, uuid(2));
    QCOMPARE(model.indexOf(uuid(2)), 2);
    QCOMPARE(model.line(uuid(2))->points, (QList<double>{4, 4, 5, 5, 6, 6}));

    // A second drawing_got replaces, it does not add.
    d.lines = {makeLine(uuid(9), {7, 7})};
    model.setDrawing(d);
    QCOMPARE(model.lineCount(), 1);
    QCOMPARE(model.line(uuid(3)), nullptr);
}

void TestBoardModel::upsertGrowsInPlace()
{
    BoardModel model;
    QSignalSpy added(&model, &BoardModel::lineAdded);
    QSignalSpy updated(&model, &BoardModel::lineUpdated);
    model.upsertLine(makeLine(uuid(1), {10, 10, 20, 20}));
    model.upsertLine(makeLine(uuid(2), {0, 0}));
    model.upsertLine(makeLine(uuid(1), {10, 10, 20, 20, 30, 30, 40, 35}));
    QCOMPARE(added.count(), 2);
    QCOMPARE(updated.count(), 1);
    QCOMPARE(updated.at(0).at(0).toString(), uuid(1));
    QCOMPARE(updated.at(0).at(1).toInt(), 2); // only points 2.. are new
    QCOMPARE(model.lineCount(), 2);
    QCOMPARE(model.lineAt(0).uuid, uuid(1)); // an update keeps the line's place
    QCOMPARE(model.lineAt(0).points.size(), 8);
}

void TestBoardModel::upsertReplacesFromFirstDifference()
{
    BoardModel model;
    QSignalSpy updated(&model, &BoardModel::lineUpdated);
    model.upsertLine(makeLine(uuid(1), {1, 1, 2, 2, 3, 3}));
    model.upsertLine(makeLine(uuid(1), {1, 1, 2, 2, 9, 9, 8, 8}));
    QCOMPARE(updated.count(), 1);
    QCOMPARE(updated.at(0).at(1).toInt(), 2);
    model.upsertLine(makeLine(uuid(1), {5, 5}));
    QCOMPARE(updated.count(), 2);
    QCOMPARE(updated.at(1).at(1).toInt(), 0);
    QCOMPARE(model.line(uuid(1))->points, (QList<double>{5, 5}));
}

void TestBoardModel::upsertUnchangedSaysNothing()
{
    BoardModel model;
    model.upsertLine(makeLine(uuid(1), {1, 1, 2, 2}));
    QSignalSpy updated(&model, &BoardModel::lineUpdated);
    model.upsertLine(makeLine(uuid(1), {1, 1, 2, 2}));
    QCOMPARE(updated.count(), 0);
}

void TestBoardModel::styleChangeRedrawsWholeLine()
{
    BoardModel model;
    model.upsertLine(makeLine(uuid(1), {1, 1, 2, 2}));
    QSignalSpy updated(&model, &BoardModel::lineUpdated);
    Line l = makeLine(uuid(1), {1, 1, 2, 2, 3, 3});
    l.color = QStringLiteral("#e02d25");
    model.upsertLine(l);
    QCOMPARE(updated.count(), 1);
    QCOMPARE(updated.at(0).at(1).toInt(), 0);
    QCOMPARE(model.line(uuid(1))->color, QStringLiteral("#e02d25"));
}

void TestBoardModel::removeKeepsOrder()
{
    BoardModel model;
    for (int i = 1; i <= 4; ++i)
        model.upsertLine(makeLine(uuid(i), {double(i), double(i)}));
    QSignalSpy removed(&model, &BoardModel::lineRemoved);
    model.removeLine(uuid(2));
    model.removeLine(uuid(77)); // unknown: nothing
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(0).toString(), uuid(2));
    QCOMPARE(model.lineCount(), 3);
    QCOMPARE(model.indexOf(uuid(3)), 1);
    QCOMPARE(model.indexOf(uuid(4)), 2);
    QCOMPARE(model.line(uuid(4))->points.first(), 4.0);
}

void TestBoardModel::resetEmpties()
{
    BoardModel model;
    model.upsertLine(makeLine(uuid(1), {1, 1}));
    QSignalSpy cleared(&model, &BoardModel::cleared);
    model.reset();
    QCOMPARE(cleared.count(), 1);
    QCOMPARE(model.lineCount(), 0);
    QCOMPARE(model.line(uuid(1)), nullptr);
}

void TestBoardModel::ownStrokeIsOptimisticAndEchoDoesNotDuplicate()
{
    BoardModel model;
    model.setUserUuid(uuid(100));
    QSignalSpy added(&model, &BoardModel::lineAdded);
    QSignalSpy updated(&model, &BoardModel::lineUpdated);
    const QString id = model.beginStroke(QStringLiteral("pen"), QStringLiteral("#E02D25"), 10);
    QCOMPARE(added.count(), 1); // on the board before any network
    model.extendStroke(QPointF(10, 10));
    model.extendStroke(QPointF(20, 10));
    model.extendStroke(QPointF(30, 15));
    QCOMPARE(updated.count(), 3);
    QCOMPARE(updated.last().at(1).toInt(), 2); // appended, not rebuilt

    // Echoes of older states while drawing: ignored, nothing flickers.
    Line echo = *model.line(id);
    echo.points = {10, 10, 20, 10};
    model.upsertLine(echo);
    QCOMPARE(model.line(id)->points.size(), 6);
    QCOMPARE(updated.count(), 3);
    QCOMPARE(added.count(), 1);
    QCOMPARE(model.lineCount(), 1);

    model.extendStroke(QPointF(40, 20));
    model.endStroke();
    echo.points = {10, 10, 20, 10, 30, 15}; // an echo still in flight from before the release
    model.upsertLine(echo);
    echo = *model.line(id); // the final full line, as the server broadcasts it
    QCOMPARE(echo.color, QStringLiteral("#e02d25")); // lower case, as the server stores it
    model.upsertLine(echo);
    QCOMPARE(updated.count(), 4);
    QCOMPARE(added.count(), 1);
    QCOMPARE(model.line(id)->points.size(), 8);

    // After its final echo the line is an ordinary line again: the server is the truth.
    echo.points = {1, 1, 2, 2};
    model.upsertLine(echo);
    QCOMPARE(updated.count(), 5);
    QCOMPARE(model.line(id)->points, (QList<double>{1, 1, 2, 2}));
}

void TestBoardModel::chunkEchoFromOriginalServerIsIgnored()
{
    BoardModel model;
    const QString id = model.beginStroke(QStringLiteral("pen"), QStringLiteral("#000"), 5);
    model.extendStroke(QList<double>{1, 1, 2, 2, 3, 3, 4, 4});
    QSignalSpy updated(&model, &BoardModel::lineUpdated);
    Line echo = *model.line(id);
    echo.points = {3, 3, 4, 4}; // a server that stored an appended chunk as the line
    model.upsertLine(echo);
    QCOMPARE(updated.count(), 0);
    QCOMPARE(model.line(id)->points.size(), 8);
}

void TestBoardModel::coordinatesSnappedAndRepeatsDropped()
{
    BoardModel model;
    const QString id = model.beginStroke(QStringLiteral("pen"), QStringLiteral("#000"), 5);
    QSignalSpy updated(&model, &BoardModel::lineUpdated);
    model.extendStroke(QPointF(1.23456, 2.98765));
    model.extendStroke(QPointF(1.2, 3.0)); // the same after snapping
    model.extendStroke(QPointF(100.04, 0.05));
    QCOMPARE(updated.count(), 2);
    const auto &p = model.line(id)->points;
    QCOMPARE(p.size(), 4);
    QCOMPARE(p[0], 1.2);
    QCOMPARE(p[1], 3.0);
    QCOMPARE(p[2], 100.0);
    QCOMPARE(p[3], 0.1);
}

void TestBoardModel::senderBatchesNewPointsAndSendsFullLineOnRelease()
{
    BoardModel model;
    RecordingTransport net;
    board::StrokeSender sender(&model, &net);
    QCOMPARE(sender.interval(), 40);
    const QString id = model.beginStroke(QStringLiteral("pen"), QStringLiteral("#000"), 5);
    model.extendStroke(QList<double>{1, 1, 2, 2, 3, 3});
    QVERIFY(net.sent.isEmpty()); // batched, not one frame per point
    // The batch timer sends on its own.
    QTRY_COMPARE_WITH_TIMEOUT(net.sent.size(), 1, 10000);
    QCOMPARE(net.sent[0].line.uuid, id);
    QCOMPARE(net.sent[0].append, false); // the first batch creates the line
    QCOMPARE(net.sent[0].line.points, (QList<double>{1, 1, 2, 2, 3, 3}));

    model.extendStroke(QList<double>{4, 4, 5, 5});
    QTRY_COMPARE_WITH_TIMEOUT(net.sent.size(), 2, 10000);
    QCOMPARE(net.sent[1].append, true);
    QCOMPARE(net.sent[1].line.points, (QList<double>{4, 4, 5, 5})); // only the new points
    QCOMPARE(net.sent[1].line.tool, QStringLiteral("pen"));
    QCOMPARE(net.sent[1].line.width, 5.0);

    sender.flush(); // nothing new: nothing sent
    QCOMPARE(net.sent.size(), 2);

    model.extendStroke(QList<double>{6, 6});
    model.endStroke();
    QCOMPARE(net.sent.size(), 3);
    QCOMPARE(net.sent[2].append, false);
    QCOMPARE(net.sent[2].line.points, (QList<double>{1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6}));
    QVERIFY(net.sent[2].line.userUuid.isEmpty());
    QTest::qWait(120); // the timer stopped with the stroke
    QCOMPARE(net.sent.size(), 3);
}

void TestBoardModel::senderWithoutAppendSendsWholeLines()
{
    BoardModel model;
    RecordingTransport net;
    board::StrokeSender sender(&model, &net);
    sender.setAppendSupported(false);
    model.beginStroke(QStringLiteral("eraser"), QStringLiteral("#000"), 0);
    model.extendStroke(QList<double>{1, 1, 2, 2});
    sender.flush();
    model.extendStroke(QList<double>{3, 3});
    sender.flush();
    QCOMPARE(net.sent.size(), 2);
    QCOMPARE(net.sent[1].append, false);
    QCOMPARE(net.sent[1].line.points, (QList<double>{1, 1, 2, 2, 3, 3}));
    QCOMPARE(net.sent[1].line.tool, QStringLiteral("eraser"));
    QCOMPARE(net.sent[1].line.width, 0.0); // no width: the original's 50 for an eraser
}

void TestBoardModel::undoTakesMyMostRecentLine()
{
    BoardModel model;
    RecordingTransport net;
    board::StrokeSender sender(&model, &net);
    model.setUserUuid(uuid(100));
    // From an earlier session: mine by user_uuid.
    model.upsertLine(makeLine(uuid(1), {1, 1}, uuid(100)));
    const QString mine = model.beginStroke(QStringLiteral("pen"), QStringLiteral("#000"), 5);
    model.extendStroke(QList<double>{2, 2});
    model.endStroke();
    model.upsertLine(makeLine(uuid(2), {3, 3}, uuid(200))); // someone else's, later
    QSignalSpy requested(&model, &BoardModel::removeRequested);

    QCOMPARE(model.lastOwnLine(), mine);
    QVERIFY(model.requestUndo());
    QCOMPARE(net.removed, QStringList{mine});
    QCOMPARE(model.lineCount(), 3); // gone only when the server says so
    // A second undo before the confirmation goes for the line before.
    QVERIFY(model.requestUndo());
    QCOMPARE(net.removed, (QStringList{mine, uuid(1)}));
    model.removeLine(mine);
    model.removeLine(uuid(1));
    QVERIFY(!model.requestUndo()); // only someone else's line is left
    QCOMPARE(requested.count(), 2);

    model.requestClear();
    QCOMPARE(net.resets, 1);

    // Against a server without remove_draw_line, undo asks nothing of it.
    const QString again = model.beginStroke(QStringLiteral("pen"), QStringLiteral("#000"), 5);
    model.extendStroke(QList<double>{9, 9});
    model.endStroke();
    model.setUndoSupported(false);
    QVERIFY(!model.requestUndo());
    QCOMPARE(net.removed.size(), 2);
    model.setUndoSupported(true);
    QVERIFY(model.requestUndo());
    QCOMPARE(net.removed.last(), again);
}

void TestBoardModel::redoDrawsTheUndoneLineAgain()
{
    BoardModel model;
    RecordingTransport net;
    board::StrokeSender sender(&model, &net);
    model.setUserUuid(uuid(100));
    const QString first = model.beginStroke(QStringLiteral("pen"), QStringLiteral("#AA0000"), 7);
    model.extendStroke(QList<double>{1, 1, 20, 30, 40, 10});
    model.endStroke();
    const Line drawn = *model.line(first);
    QVERIFY(!model.canRedo());
    QVERIFY(!model.requestRedo()); // nothing undone yet

    // Only a confirmed undo can be redone.
    QVERIFY(model.requestUndo());
    QVERIFY(!model.canRedo());
    model.removeLine(first); // the server's draw_line_removed
    QVERIFY(model.canRedo());
    // Someone else's line going away is not ours to redo.
    model.upsertLine(makeLine(uuid(2), {3, 3}, uuid(200)));
    model.removeLine(uuid(2));

    net.sent.clear();
    QVERIFY(model.requestRedo());
    QVERIFY(!model.canRedo());
    QCOMPARE(model.lineCount(), 1);
    const Line again = model.lineAt(0);
    QVERIFY(again.uuid != first); // a new stroke, sent like any other
    QCOMPARE(again.points, drawn.points);
    QCOMPARE(again.color, drawn.color);
    QCOMPARE(again.width, drawn.width);
    QCOMPARE(again.tool, drawn.tool);
    QVERIFY(!net.sent.isEmpty());
    QCOMPARE(net.sent.last().line.uuid, again.uuid);
    QCOMPARE(net.sent.last().line.points, drawn.points); // the full line
    QCOMPARE(net.sent.last().append, false);
    QCOMPARE(model.lastOwnLine(), again.uuid); // and it can be undone again

    // Undo twice, confirmed: redo brings them back newest first.
    const QString second = model.beginStroke(QStringLiteral("pen"), QStringLiteral("#000"), 5);
    model.extendStroke(QList<double>{5, 5});
    model.endStroke();
    QVERIFY(model.requestUndo());
    QVERIFY(model.requestUndo());
    model.removeLine(second);
    model.removeLine(again.uuid);
    QCOMPARE(model.lineCount(), 0);
    QVERIFY(model.requestRedo()); // the one undone last
    QCOMPARE(model.lineCount(), 1);
    QCOMPARE(model.lineAt(0).points, drawn.points);

    // Drawing something new forgets what could be redone, as any editor does.
    QVERIFY(model.canRedo()); // `second` could still come back
    model.beginStroke(QStringLiteral("pen"), QStringLiteral("#000"), 5);
    model.extendStroke(QList<double>{6, 6});
    model.endStroke();
    QVERIFY(!model.canRedo());

    // So does a cleared board.
    const QString last = model.lastOwnLine();
    QVERIFY(model.requestUndo());
    model.removeLine(last);
    QVERIFY(model.canRedo());
    model.reset();
    QVERIFY(!model.canRedo());

    // Against a server without remove_draw_line there is nothing to redo either.
    model.setUndoSupported(false);
    QVERIFY(!model.requestRedo());
}

void TestBoardModel::resetDuringStrokeAbandonsIt()
{
    BoardModel model;
    RecordingTransport net;
    board::StrokeSender sender(&model, &net);
    QSignalSpy abandoned(&model, &BoardModel::strokeAbandoned);
    const QString id = model.beginStroke(QStringLiteral("pen"), QStringLiteral("#000"), 5);
    model.extendStroke(QList<double>{1, 1, 2, 2});
    sender.flush();
    model.reset(); // someone cleared the board
    QCOMPARE(abandoned.count(), 1);
    QVERIFY(!model.isDrawing());
    model.extendStroke(QList<double>{3, 3}); // the rest of the drag draws nothing
    model.endStroke();
    QCOMPARE(model.lineCount(), 0);
    sender.flush();
    QCOMPARE(net.sent.size(), 1);
    QCOMPARE(model.line(id), nullptr);
}

void TestBoardModel::longStrokeContinuesInNewLine()
{
    BoardModel model;
    RecordingTransport net;
    board::StrokeSender sender(&model, &net);
    model.setMaxPointsPerLine(3);
    const QString first = model.beginStroke(QStringLiteral("pen"), QStringLiteral("#000"), 5);
    model.extendStroke(QList<double>{1, 1, 2, 2, 3, 3, 4, 4, 5, 5});
    QCOMPARE(model.lineCount(), 2);
    QCOMPARE(model.lineAt(0).uuid, first);
    QCOMPARE(model.lineAt(0).points, (QList<double>{1, 1, 2, 2, 3, 3}));
    QCOMPARE(model.lineAt(1).points, (QList<double>{3, 3, 4, 4, 5, 5}));
    QVERIFY(model.isDrawing());
    QVERIFY(model.liveStroke() != first);
    QCOMPARE(net.sent.size(), 1); // the first line, complete
    QCOMPARE(net.sent[0].line.uuid, first);
    QCOMPARE(net.sent[0].line.points.size(), 6);
}

void TestBoardModel::setDrawingKeepsLiveStrokeTheServerKnows()
{
    BoardModel model;
    const QString id = model.beginStroke(QStringLiteral("pen"), QStringLiteral("#000"), 5);
    model.extendStroke(QList<double>{1, 1, 2, 2, 3, 3});
    protocol::Drawing d;
    d.lines = {makeLine(uuid(1), {9, 9}), makeLine(id, {1, 1})};
    model.setDrawing(d);
    QVERIFY(model.isDrawing());
    QCOMPARE(model.line(id)->points.size(), 6); // ours is ahead of the server's
    QCOMPARE(model.lineCount(), 2);

    d.lines = {makeLine(uuid(1), {9, 9})}; // the server does not have it: gone
    model.setDrawing(d);
    QVERIFY(!model.isDrawing());
    QCOMPARE(model.lineCount(), 1);
}

void TestBoardModel::remoteLinesGoBelowOwnLinesTheServerHasNotSeen()
{
    BoardModel model;
    model.upsertLine(makeLine(uuid(1), {1, 1}));
    const QString mine = model.beginStroke(QStringLiteral("pen"), QStringLiteral("#000"), 5);
    model.extendStroke(QList<double>{2, 2, 3, 3});
    model.endStroke();
    QSignalSpy added(&model, &BoardModel::lineAdded);
    // Sent before ours reached the server: the server stores it first, so it goes below.
    model.upsertLine(makeLine(uuid(2), {4, 4}));
    QCOMPARE(added.count(), 1);
    QCOMPARE(model.indexOf(uuid(2)), 1);
    QCOMPARE(model.indexOf(mine), 2);
    // Our line's echo: from now on the server has it, later lines go on top.
    Line echo = *model.line(mine);
    model.upsertLine(echo);
    model.upsertLine(makeLine(uuid(3), {5, 5}));
    QCOMPARE(model.indexOf(uuid(3)), 3);
    QCOMPARE(model.indexOf(mine), 2);
}

void TestBoardModel::defaultsFollowTheOriginal()
{
    Line l = makeLine(uuid(1), {1, 1});
    QCOMPARE(board::effectiveWidth(l), 5.0);
    l.tool = QStringLiteral("eraser");
    QCOMPARE(board::effectiveWidth(l), 50.0);
    l.width = 12;
    QCOMPARE(board::effectiveWidth(l), 12.0);
}

QTEST_GUILESS_MAIN(TestBoardModel)
#include "tst_board_model.moc"
