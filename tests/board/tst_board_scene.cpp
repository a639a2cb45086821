// The board's scene and widgets, offscreen: strokes become items that grow in place, the
// smoothing follows the original's Konva tension, and rendered pixels show ink where it was
// drawn and paper where the eraser went (also in an exported PNG).
#include "board/board_canvas.h"
#include "board/board_model.h"
#include "board_colors.h"
#include "board_scene.h"
#include "board_view.h"
#include "board_widget.h"
#include "protocol/colors.h"
#include "stroke_item.h"
#include "stroke_raster.h"
#include "tension_path.h"

#include <QAction>
#include <QComboBox>
#include <QPainter>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace chalk;
using board::BoardModel;
using protocol::Line;
using ui::BoardScene;
using ui::StrokeItem;

namespace {

Line makeLine(const QString &uuid, QList<double> points, const QString &color,
              const QString &tool = QStringLiteral("pen"), double width = 0)
{
    Line l;
    l.uuid = uuid;
    l.points = std::move(points);
    l.tool = tool;
    l.color = color;
    l.width = width;
    return l;
}

QString uuid(int n)
{
    return QStringLiteral("00000000-0000-4000-8000-%1").arg(n, 12, 10, QLatin1Char('0'));
}

bool near(QRgb px, QColor want, int tolerance = 12)
{
    return std::abs(qRed(px) - want.red()) <= tolerance &&
           std::abs(qGreen(px) - want.green()) <= tolerance &&
           std::abs(qBlue(px) - want.blue()) <= tolerance;
}

QString describe(QRgb px)
{
    return QStringLiteral("rgb(%1,%2,%3)").arg(qRed(px)).arg(qGreen(px)).arg(qBlue(px));
}

#define QVERIFY_PIXEL(img, x, y, color)                                                            \
    QVERIFY2(near((img).pixel((x), (y)), (color)),                                                 \
             qPrintable(QStringLiteral("pixel %1,%2 is %3")                                        \
                            .arg(x)                                                                \
                            .arg(y)                                                                \
                            .arg(describe((img).pixel((x), (y))))))

const QColor kRed(0xe0, 0x2d, 0x25);
const QColor kWhite(Qt::white);

// Konva's open spline drawn directly (quad, cubics, quad), as the reference.
QPainterPath konvaReference(const QList<QPointF> &p, double t)
{
    QPainterPath path(p[0]);
    if (p.size() == 2) {
        path.lineTo(p[1]);
        return path;
    }
    QList<QPointF> before, after;
    for (qsizetype i = 1; i + 1 < p.size(); ++i) {
        const auto [b, a] = ui::TensionPath::controlPoints(p[i - 1], p[i], p[i + 1], t);
        before.append(b);
        after.append(a);
    }
    path.quadTo(before[0], p[1]);
    for (qsizetype i = 1; i + 1 < p.size() - 1; ++i)
        path.cubicTo(after[i - 1], before[i], p[i + 1]);
    path.quadTo(after.last(), p.last());
    return path;
}

} // namespace

class TestBoardScene : public QObject {
    Q_OBJECT
private slots:
    void colorsParseCssAlphaLast();
    void controlPointsMatchKonva();
    void tensionPathMatchesKonvaWhileGrowing();
    void sceneRectIsFixed();
    void itemsFollowModelInPlace();
    void eraserIsPaperOnTop();
    void renderedPixelsShowInkAndErasure();
    void exportedPngShowsErasure();
    void layerBakesSettledStrokesInOrder();
    void layerFollowsUndoAndGrowth();
    void bigDrawingIsBakedOnWorkerThreads();
    void bulkDrawingGivesEveryLineWithoutItems();
    void updateDuringBulkBakeIsNotLost();
    void rasterMatchesQPainterStroke();
    void layerFollowsTheViewScale();
    void largeViewShowsQuickLayerThenSharp();
    void mouseDrawsInLogicalCoordinates();
    void toolbarHasPaletteWidthsAndTools();
};

void TestBoardScene::colorsParseCssAlphaLast()
{
    const QColor ink = ui::colorFromHex(u"#000000cc");
    QCOMPARE(ink.alpha(), 0xcc);
    QCOMPARE(ink.red(), 0);
    QCOMPARE(ui::colorFromHex(u"#fc9a00"), QColor(0xfc, 0x9a, 0x00));
    QCOMPARE(ui::colorFromHex(u"#AbC"), QColor(0xaa, 0xbb, 0xcc));
    QVERIFY(!ui::colorFromHex(u"red").isValid());
    QVERIFY(!ui::colorFromHex(u"#12345").isValid());
    QCOMPARE(ui::hexFromColor(QColor(0xe0, 0x2d, 0x25)), QStringLiteral("#e02d25"));
    QCOMPARE(ui::hexFromColor(QColor(0, 0, 0, 0xcc)), QStringLiteral("#000000cc"));
}

void TestBoardScene::controlPointsMatchKonva()
{
    // Worked by hand from Konva's getControlPoints: p0(0,0) p1(10,0) p2(10,10), t = 0.5:
    // d01 = d12 = 10, fa = fb = 0.25, (p2 - p0) = (10,10).
    const auto [before, after] =
        ui::TensionPath::controlPoints(QPointF(0, 0), QPointF(10, 0), QPointF(10, 10), 0.5);
    QCOMPARE(before, QPointF(7.5, -2.5));
    QCOMPARE(after, QPointF(12.5, 2.5));
}

void TestBoardScene::tensionPathMatchesKonvaWhileGrowing()
{
    const QList<QPointF> pts{{10, 10},  {60, 20},  {90, 80},  {40, 120},
                             {45, 121}, {200, 30}, {210, 200}};
    ui::TensionPath grown(0.5);
    for (qsizetype n = 1; n <= pts.size(); ++n) {
        QVERIFY(grown.append(pts[n - 1]).has_value());
        QVERIFY(!grown.append(pts[n - 1]).has_value()); // a repeat adds nothing
        if (n < 2)
            continue;
        // Every intermediate state equals Konva's spline of the points so far.
        const QPainterPath ref = konvaReference(pts.mid(0, n), 0.5);
        for (double t = 0; t <= 1.0; t += 0.05) {
            const QPointF a = grown.path().pointAtPercent(t);
            const QPointF b = ref.pointAtPercent(t);
            QVERIFY2(QLineF(a, b).length() < 0.5,
                     qPrintable(QStringLiteral("n=%1 t=%2: (%3,%4) vs (%5,%6)")
                                    .arg(n)
                                    .arg(t)
                                    .arg(a.x())
                                    .arg(a.y())
                                    .arg(b.x())
                                    .arg(b.y())));
        }
    }
    // In place: one moveTo plus three elements per segment, nothing rebuilt.
    QCOMPARE(grown.path().elementCount(), 1 + 3 * (pts.size() - 1));
    // The curve passes through every point.
    for (qsizetype i = 1; i < pts.size(); ++i)
        QCOMPARE(QPointF(grown.path().elementAt(3 * int(i))), pts[i]);
}

void TestBoardScene::sceneRectIsFixed()
{
    BoardModel model;
    BoardScene scene(&model);
    QCOMPARE(scene.sceneRect(), QRectF(0, 0, board::kCanvasWidth, board::kCanvasHeight));
    model.upsertLine(makeLine(uuid(1), {-5000, -5000, 9000, 9000}, QStringLiteral("#000")));
    QCOMPARE(scene.sceneRect(), QRectF(0, 0, 640, 480));
    QCOMPARE(scene.itemIndexMethod(), BoardScene::kIndexMethod);
}

void TestBoardScene::itemsFollowModelInPlace()
{
    BoardModel model;
    BoardScene scene(&model);
    protocol::Drawing d;
    d.lines = {makeLine(uuid(1), {10, 10, 20, 20}, QStringLiteral("#000")),
               makeLine(uuid(2), {30, 30}, QStringLiteral("#fff"))};
    model.setDrawing(d);
    QCOMPARE(scene.strokeCount(), 2);
    StrokeItem *first = scene.item(uuid(1));
    QVERIFY(first);
    QVERIFY(scene.item(uuid(2))->zValue() > first->zValue()); // drawing order

    // Growing: the same item, the path extended.
    model.upsertLine(makeLine(uuid(1), {10, 10, 20, 20, 40, 25, 60, 40}, QStringLiteral("#000")));
    QCOMPARE(scene.item(uuid(1)), first);
    QCOMPARE(first->pointCount(), 4);
    QCOMPARE(first->path().elementCount(), 1 + 3 * 3);
    QVERIFY(first->boundingRect().contains(QPointF(60, 40)));

    // A live local stroke grows item by item, point by point.
    const QString live = model.beginStroke(QStringLiteral("pen"), QStringLiteral("#e02d25"), 8);
    StrokeItem *liveItem = scene.item(live);
    QVERIFY(liveItem);
    for (int i = 0; i < 200; ++i)
        model.extendStroke(QPointF(100 + i, 200 + (i % 7)));
    QCOMPARE(scene.item(live), liveItem);
    QCOMPARE(liveItem->pointCount(), 200);
    QCOMPARE(liveItem->path().elementCount(), 1 + 3 * 199);
    QVERIFY(liveItem->boundingRect().contains(QRectF(100, 200, 199, 6)));
    model.endStroke();

    // A remote line inserted below the own stroke the server has not echoed: stacked below.
    model.upsertLine(makeLine(uuid(7), {5, 5, 9, 9}, QStringLiteral("#000")));
    QCOMPARE(model.indexOf(uuid(7)), 2);
    QVERIFY(scene.item(uuid(7))->zValue() < liveItem->zValue());
    QVERIFY(scene.item(uuid(7))->zValue() > scene.item(uuid(2))->zValue());
    model.removeLine(uuid(7));

    model.removeLine(uuid(2));
    QCOMPARE(scene.item(uuid(2)), nullptr);
    QCOMPARE(scene.strokeCount(), 2);
    model.reset();
    QCOMPARE(scene.strokeCount(), 0);
    QCOMPARE(scene.itemStrokeCount(), 0);
    QCOMPARE(scene.strokeCount(), 0);
}

void TestBoardScene::eraserIsPaperOnTop()
{
    BoardModel model;
    BoardScene scene(&model);
    model.upsertLine(
        makeLine(uuid(1), {1, 1, 5, 5}, QStringLiteral("#e02d25"), QStringLiteral("eraser")));
    StrokeItem *item = scene.item(uuid(1));
    QVERIFY(item->isEraser());
    QCOMPARE(item->pen().color(), ui::boardPaperColor());
    QCOMPARE(item->pen().widthF(), 50.0); // the original's eraser
    QCOMPARE(item->pen().capStyle(), Qt::RoundCap);
    QCOMPARE(item->pen().joinStyle(), Qt::RoundJoin);
}

void TestBoardScene::renderedPixelsShowInkAndErasure()
{
    BoardModel model;
    BoardScene scene(&model);
    // Red bar, then an eraser across its middle, then a red dot drawn over the erased part.
    model.upsertLine(makeLine(uuid(1), {100, 100, 300, 100}, QStringLiteral("#e02d25"),
                              QStringLiteral("pen"), 20));
    model.upsertLine(makeLine(uuid(2), {200, 40, 200, 160}, QStringLiteral("#000"),
                              QStringLiteral("eraser"), 30));
    model.upsertLine(
        makeLine(uuid(3), {200, 140}, QStringLiteral("#e02d25"), QStringLiteral("pen"), 10));
    // The original's default ink, translucent, and a line without width (5 units).
    model.upsertLine(makeLine(uuid(4), {50, 300, 250, 300}, QStringLiteral("#000000cc")));

    const QImage img = scene.renderImage(1.0);
    QCOMPARE(img.size(), QSize(640, 480));
    QVERIFY_PIXEL(img, 150, 100, kRed);               // ink
    QVERIFY_PIXEL(img, 280, 105, kRed);               // ink, inside the width
    QVERIFY_PIXEL(img, 150, 125, kWhite);             // beside the bar
    QVERIFY_PIXEL(img, 200, 100, kWhite);             // erased
    QVERIFY_PIXEL(img, 190, 95, kWhite);              // erased, within the eraser's half width
    QVERIFY_PIXEL(img, 220, 100, kRed);               // just past the eraser
    QVERIFY_PIXEL(img, 200, 140, kRed);               // a dot drawn after the eraser is ink again
    QVERIFY_PIXEL(img, 150, 300, QColor(51, 51, 51)); // #000000cc over white
    QVERIFY_PIXEL(img, 150, 305, kWhite);             // 5 units wide: 2.5 either side
    QVERIFY_PIXEL(img, 600, 450, kWhite);             // paper
}

// What a view shows: the scene's layer plus the items still painted as items.
static QImage renderThroughScene(BoardScene &scene)
{
    QImage img(640, 480, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::black);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    scene.render(&p, QRectF(0, 0, 640, 480), scene.sceneRect());
    return img;
}

void TestBoardScene::layerBakesSettledStrokesInOrder()
{
    BoardModel model;
    BoardScene scene(&model);
    scene.setSettleDelay(50);
    protocol::Drawing d;
    d.lines = {makeLine(uuid(1), {100, 100, 300, 100}, QStringLiteral("#e02d25"),
                        QStringLiteral("pen"), 20),
               makeLine(uuid(2), {200, 40, 200, 160}, QStringLiteral("#000"),
                        QStringLiteral("eraser"), 30)};
    model.setDrawing(d);
    // A drawing's lines are final: not painted as items while they wait for the layer.
    QVERIFY(!scene.item(uuid(1))->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(scene.bakedCount(), 2, 10000);
    // A stroke that arrives later is an item until it has settled, then joins the layer.
    model.upsertLine(
        makeLine(uuid(3), {200, 140}, QStringLiteral("#e02d25"), QStringLiteral("pen"), 10));
    QVERIFY(scene.item(uuid(3))->isVisible());
    QCOMPARE(scene.bakedCount(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(scene.bakedCount(), 3, 10000);
    QVERIFY(!scene.item(uuid(3))->isVisible());

    const QImage img = renderThroughScene(scene);
    QVERIFY_PIXEL(img, 150, 100, kRed);
    QVERIFY_PIXEL(img, 200, 100, kWhite); // erased inside the layer
    QVERIFY_PIXEL(img, 220, 100, kRed);
    QVERIFY_PIXEL(img, 200, 140, kRed); // the later dot is over the erasure
    QVERIFY_PIXEL(img, 150, 130, kWhite);
}

void TestBoardScene::layerFollowsUndoAndGrowth()
{
    BoardModel model;
    BoardScene scene(&model);
    scene.setSettleDelay(30);
    model.upsertLine(makeLine(uuid(1), {100, 100, 300, 100}, QStringLiteral("#e02d25"),
                              QStringLiteral("pen"), 20));
    model.upsertLine(makeLine(uuid(2), {100, 300, 300, 300}, QStringLiteral("#e02d25"),
                              QStringLiteral("pen"), 20));
    QTRY_COMPARE_WITH_TIMEOUT(scene.bakedCount(), 2, 10000);

    // Undo of a baked stroke: the layer is re-baked without it.
    model.removeLine(uuid(1));
    QTRY_VERIFY_WITH_TIMEOUT(!scene.isRebaking() && scene.bakedCount() == 1, 10000);
    QImage img = renderThroughScene(scene);
    QVERIFY_PIXEL(img, 150, 100, kWhite);
    QVERIFY_PIXEL(img, 150, 300, kRed);

    // A baked stroke that grows is shown at once (as an item), then re-baked.
    model.upsertLine(makeLine(uuid(2), {100, 300, 300, 300, 300, 400}, QStringLiteral("#e02d25"),
                              QStringLiteral("pen"), 20));
    QVERIFY(scene.item(uuid(2))->isVisible());
    img = renderThroughScene(scene);
    QVERIFY_PIXEL(img, 300, 380, kRed);
    QTRY_VERIFY_WITH_TIMEOUT(
        !scene.isRebaking() && scene.bakedCount() == 1 && !scene.item(uuid(2))->isVisible(), 10000);
    img = renderThroughScene(scene);
    QVERIFY_PIXEL(img, 300, 380, kRed);
    QVERIFY_PIXEL(img, 150, 290, kRed); // the tension bends the first segment up a little

    // Clear: an empty layer.
    model.reset();
    img = renderThroughScene(scene);
    QVERIFY_PIXEL(img, 150, 300, kWhite);
}

void TestBoardScene::bigDrawingIsBakedOnWorkerThreads()
{
    BoardModel model;
    BoardScene scene(&model);
    protocol::Drawing d;
    d.lines.append(makeLine(uuid(1), {100, 100, 300, 100}, QStringLiteral("#e02d25"),
                            QStringLiteral("pen"), 20));
    for (int i = 0; i < 200; ++i) // spread over every band of the layer
        d.lines.append(makeLine(uuid(100 + i), {600.0, 2.0 + i * 2.4}, QStringLiteral("#0167ca"),
                                QStringLiteral("pen"), 4));
    d.lines.append(makeLine(uuid(2), {200, 40, 200, 460}, QStringLiteral("#000"),
                            QStringLiteral("eraser"), 30));
    model.setDrawing(d);
    QVERIFY(scene.isRebaking() || scene.bakedCount() == 202);
    QTRY_COMPARE_WITH_TIMEOUT(scene.bakedCount(), 202, 10000);
    QVERIFY(!scene.isRebaking());
    QCOMPARE(scene.itemStrokeCount(), 0); // all in the layer, none left for the view to walk
    const QImage img = renderThroughScene(scene);
    QVERIFY_PIXEL(img, 150, 100, kRed);
    QVERIFY_PIXEL(img, 200, 100, kWhite); // the eraser, painted after the bar in its band
    QVERIFY_PIXEL(img, 260, 100, kRed);
    QVERIFY_PIXEL(img, 600, 2, QColor(0x01, 0x67, 0xca));
    QVERIFY_PIXEL(img, 600, 240, QColor(0x01, 0x67, 0xca));
    QVERIFY_PIXEL(img, 600, 479, QColor(0x01, 0x67, 0xca));
}

void TestBoardScene::exportedPngShowsErasure()
{
    BoardModel model;
    ui::BoardWidget widget(&model);
    model.upsertLine(makeLine(uuid(1), {100, 100, 300, 100}, QStringLiteral("#e02d25"),
                              QStringLiteral("pen"), 20));
    model.upsertLine(makeLine(uuid(2), {200, 40, 200, 160}, QStringLiteral("#000"),
                              QStringLiteral("eraser"), 30));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("board.png"));
    QVERIFY(widget.exportPng(path, 2.0));
    QImage png(path);
    QCOMPARE(png.size(), QSize(1280, 960));
    QVERIFY(!png.hasAlphaChannel() || png.pixelColor(400, 200).alpha() == 255);
    QVERIFY_PIXEL(png, 300, 200, kRed);
    QVERIFY_PIXEL(png, 400, 200, kWhite); // erased, and white (not a transparent hole)
    QVERIFY_PIXEL(png, 460, 200, kRed);
}

void TestBoardScene::mouseDrawsInLogicalCoordinates()
{
    BoardModel model;
    ui::BoardWidget widget(&model);
    widget.resize(1000, 900);
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    ui::BoardView *view = widget.view();
    QWidget *vp = view->viewport();
    // The whole canvas is visible and scaled up (aspect kept).
    const QRect canvasOnScreen = view->mapFromScene(view->sceneRect()).boundingRect();
    QVERIFY(canvasOnScreen.width() > 640);
    QVERIFY(vp->rect().adjusted(-1, -1, 1, 1).contains(canvasOnScreen));

    QSignalSpy started(&model, &BoardModel::strokeStarted);
    QSignalSpy finished(&model, &BoardModel::strokeFinished);
    const QList<QPointF> logical{{100, 100}, {200, 150}, {300, 120}, {320, 240}};
    QTest::mousePress(vp, Qt::LeftButton, {}, view->mapFromScene(logical[0]));
    QTest::mouseMove(vp, view->mapFromScene(logical[1]));
    QTest::mouseMove(vp, view->mapFromScene(logical[2]));
    QCOMPARE(started.count(), 1);
    QVERIFY(model.isDrawing());
    QTest::mouseRelease(vp, Qt::LeftButton, {}, view->mapFromScene(logical[3]));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(model.lineCount(), 1);
    const Line &line = model.lineAt(0);
    QCOMPARE(line.points.size(), 8);
    for (int i = 0; i < 4; ++i) {
        // Within a screen pixel of where the pointer was.
        QVERIFY(std::abs(line.points[2 * i] - logical[i].x()) < 1.0);
        QVERIFY(std::abs(line.points[2 * i + 1] - logical[i].y()) < 1.0);
    }
    QCOMPARE(line.tool, QStringLiteral("pen"));
    QCOMPARE(line.color, QStringLiteral("#000000cc"));
    QCOMPARE(line.width, 5.0);
    QVERIFY(widget.scene()->item(line.uuid));

    // Outside the canvas: kept on its edge.
    QTest::mousePress(vp, Qt::LeftButton, {}, view->mapFromScene(QPointF(630, 470)));
    QTest::mouseRelease(vp, Qt::LeftButton, {},
                        view->mapFromScene(QPointF(630, 470)) + QPoint(400, 400));
    const Line &edge = model.lineAt(1);
    QVERIFY(edge.points.size() == 4);
    QCOMPARE(edge.points[2], 640.0);
}

void TestBoardScene::toolbarHasPaletteWidthsAndTools()
{
    BoardModel model;
    ui::BoardWidget widget(&model);
    QCOMPARE(widget.inkColor(), QStringLiteral("#000000cc"));
    QCOMPARE(widget.tool(), QStringLiteral("pen"));
    for (int i = 0; i < 18; ++i) {
        auto *swatch = widget.findChild<QAction *>(QStringLiteral("boardSwatch%1").arg(i));
        QVERIFY(swatch);
        QCOMPARE(swatch->data().toString(), protocol::drawingPalette().at(i).toLower());
    }
    QVERIFY(widget.findChild<QToolButton *>(QStringLiteral("boardCustomColor")));
    auto *widths = widget.findChild<QComboBox *>(QStringLiteral("boardWidth"));
    QVERIFY(widths && widths->count() >= 3);
    for (const char *name : {"boardPen", "boardEraser", "boardUndo", "boardClear", "boardExport"})
        QVERIFY2(widget.findChild<QAction *>(QLatin1String(name)), name);

    widget.findChild<QAction *>(QStringLiteral("boardEraser"))->trigger();
    QCOMPARE(widget.tool(), QStringLiteral("eraser"));
    QCOMPARE(widget.strokeWidth(), 50.0);
    widget.setStrokeWidth(20);
    widget.findChild<QAction *>(QStringLiteral("boardSwatch2"))->trigger();
    QCOMPARE(widget.tool(), QStringLiteral("pen")); // a colour picks the pen
    QCOMPARE(widget.inkColor(), QStringLiteral("#e02d25"));
    QCOMPARE(widget.strokeWidth(), 5.0);
    widget.setTool(QStringLiteral("eraser"));
    QCOMPARE(widget.strokeWidth(), 20.0); // each tool keeps its width

    // Undo with nothing of ours asks nothing of the server.
    QSignalSpy undo(&model, &BoardModel::removeRequested);
    widget.findChild<QAction *>(QStringLiteral("boardUndo"))->trigger();
    QCOMPARE(undo.count(), 0);
}

void TestBoardScene::bulkDrawingGivesEveryLineWithoutItems()
{
    // A late joiner's board: thousands of lines, each exactly as sent, none an item. (1500:
    // the bake of more takes tens of seconds in the sanitizer build.)
    constexpr int kLines = 1500;
    BoardModel model;
    BoardScene scene(&model);
    QRandomGenerator rng(11);
    protocol::Drawing d;
    for (int i = 0; i < kLines; ++i) {
        QList<double> pts;
        const int n = 1 + int(rng.bounded(60));
        for (int k = 0; k < n; ++k) // the left half, below y 40
            pts << std::round(rng.generateDouble() * 3000) / 10
                << 40 + std::round(rng.generateDouble() * 4400) / 10;
        d.lines.append(makeLine(uuid(1000 + i), pts, QStringLiteral("#0167ca"),
                                QStringLiteral("pen"), 1 + i % 7));
    }
    // Last: a red bar on the right, then an eraser across part of it.
    d.lines.append(makeLine(uuid(1), {400, 100, 600, 100}, QStringLiteral("#e02d25"),
                            QStringLiteral("pen"), 20));
    d.lines.append(makeLine(uuid(2), {500, 50, 500, 150}, QStringLiteral("#000"),
                            QStringLiteral("eraser"), 20));
    QSignalSpy added(&model, &BoardModel::lineAdded);
    model.setDrawing(d);
    QCOMPARE(model.lineCount(), kLines + 2);
    QCOMPARE(added.count(), kLines + 2);
    for (int i = 0; i < kLines + 2; ++i) {
        QCOMPARE(model.lineAt(i).uuid, d.lines[i].uuid);
        QCOMPARE(model.lineAt(i).points, d.lines[i].points);
    }
    QCOMPARE(scene.strokeCount(), kLines + 2);
    QCOMPARE(scene.materializedCount(), 0); // straight into the layer
    QCOMPARE(scene.itemStrokeCount(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!scene.isRebaking() && scene.bakedCount() == kLines + 2, 60000);
    QCOMPARE(scene.itemStrokeCount(), 0);
    const QImage img = renderThroughScene(scene);
    QVERIFY_PIXEL(img, 450, 100, kRed);
    QVERIFY_PIXEL(img, 500, 100, kWhite); // erased
    QVERIFY_PIXEL(img, 550, 100, kRed);
    QVERIFY_PIXEL(img, 450, 20, kWhite);  // nothing drawn there
    QVERIFY_PIXEL(img, 620, 300, kWhite); // nor there
    int blue = 0;
    for (int x = 0; x < 300; x += 10)
        blue += near(img.pixel(x, 250), QColor(0x01, 0x67, 0xca), 60) ? 1 : 0;
    QVERIFY2(blue > 10, qPrintable(QString::number(blue))); // the left half is full of ink
    // An item is made when asked for, from the model's line, and left out of the scene.
    StrokeItem *item = scene.item(uuid(1));
    QVERIFY(item);
    QCOMPARE(item->pointCount(), 2);
    QVERIFY(!item->scene());
    QCOMPARE(scene.materializedCount(), 1);
}

void TestBoardScene::updateDuringBulkBakeIsNotLost()
{
    // Strokes that change while the drawing is still being baked on worker threads: the
    // change shows at once (an item) and ends in the layer; nothing is dropped.
    BoardModel model;
    BoardScene scene(&model);
    scene.setSettleDelay(50);
    protocol::Drawing d;
    for (int i = 0; i < 3000; ++i)
        d.lines.append(makeLine(uuid(1000 + i), {20.0 + (i % 250), 300, 20.0 + (i % 250), 460},
                                QStringLiteral("#0167ca"), QStringLiteral("pen"), 2));
    d.lines.append(makeLine(uuid(1), {400, 100, 420, 100}, QStringLiteral("#e02d25"),
                            QStringLiteral("pen"), 20));
    model.setDrawing(d);
    QVERIFY(scene.isRebaking()); // 3000 lines: baked off this thread
    // An early line moves, the red one grows (a live stroke elsewhere), a new one arrives.
    model.upsertLine(makeLine(uuid(1000), {450, 400, 600, 400}, QStringLiteral("#e02d25"),
                              QStringLiteral("pen"), 20));
    model.upsertLine(makeLine(uuid(1), {400, 100, 420, 100, 600, 100}, QStringLiteral("#e02d25"),
                              QStringLiteral("pen"), 20));
    model.upsertLine(makeLine(uuid(2), {500, 200, 600, 200}, QStringLiteral("#e02d25"),
                              QStringLiteral("pen"), 20));
    QVERIFY(scene.item(uuid(1))->isVisible());
    QVERIFY(scene.item(uuid(2))->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(
        !scene.isRebaking() && scene.bakedCount() == 3002 && scene.itemStrokeCount() == 0, 10000);
    QCOMPARE(model.lineCount(), 3002);
    QCOMPARE(model.line(uuid(1))->points.size(), 6);
    const QImage img = renderThroughScene(scene);
    QVERIFY_PIXEL(img, 500, 400, kRed); // the moved line, where it is now
    QVERIFY_PIXEL(img, 550, 100, kRed); // the grown part
    QVERIFY_PIXEL(img, 550, 200, kRed); // the new line
    QVERIFY_PIXEL(img, 150, 380, QColor(0x01, 0x67, 0xca));
}

void TestBoardScene::rasterMatchesQPainterStroke()
{
    // The layer's rasterizer against QPainter's stroker for the same smoothed strokes,
    // translucent ink included (each stroke's coverage blended once, as QPainter does).
    QRandomGenerator rng(5);
    QImage fast(640, 480, QImage::Format_ARGB32_Premultiplied);
    fast.fill(Qt::white);
    QImage ref = fast;
    ui::StrokeRaster raster(&fast, 1.0);
    QPainter p(&ref);
    p.setRenderHint(QPainter::Antialiasing);
    for (int i = 0; i < 60; ++i) {
        QList<double> xy;
        double x = 40 + rng.bounded(560.0), y = 40 + rng.bounded(400.0);
        for (int k = 0; k < 40; ++k) {
            x = std::clamp(x + rng.bounded(20.0) - 10, 0.0, 640.0);
            y = std::clamp(y + rng.bounded(20.0) - 10, 0.0, 480.0);
            xy << x << y;
        }
        const QColor color = i % 3 == 0 ? QColor(0, 0, 0, 0xcc) : QColor(0xe0, 0x2d, 0x25);
        const double width = 1 + i % 20;
        raster.paint(xy, color, width);
        ui::TensionPath path(board::kTension);
        for (qsizetype k = 0; k + 1 < xy.size(); k += 2)
            path.append(QPointF(xy[k], xy[k + 1]));
        p.setPen(QPen(color, width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPath(path.path());
    }
    p.end();
    qint64 off = 0, far = 0;
    for (int y = 0; y < 480; ++y) {
        for (int x = 0; x < 640; ++x) {
            const QRgb a = fast.pixel(x, y), b = ref.pixel(x, y);
            const int d = std::max({std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)),
                                    std::abs(qBlue(a) - qBlue(b))});
            off += d;
            far += d > 96 ? 1 : 0;
        }
    }
    // Edges differ by a shade (another antialiasing); no pixel is far off anywhere but on a
    // few edge pixels, and the mean difference is tiny.
    QVERIFY2(double(off) / (640 * 480) < 3, qPrintable(QString::number(double(off) / (640 * 480))));
    QVERIFY2(far < 640 * 480 / 500, qPrintable(QString::number(far)));
}

void TestBoardScene::layerFollowsTheViewScale()
{
    BoardModel model;
    BoardScene scene(&model);
    ui::BoardView view(&scene);
    view.resize(800, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // Fitted: 1.25 pixels per unit; the layer is baked at that scale, so a frame is a blit.
    QTRY_VERIFY(std::abs(scene.layerScale() - 1.25 * view.devicePixelRatioF()) < 0.01);
    protocol::Drawing d;
    d.lines.append(makeLine(uuid(1), {100, 100, 300, 100}, QStringLiteral("#e02d25"),
                            QStringLiteral("pen"), 20));
    model.setDrawing(d);
    QTRY_COMPARE_WITH_TIMEOUT(scene.bakedCount(), 1, 10000);
    // A larger view asks for a sharper layer: re-baked, nothing lost.
    view.resize(1280, 960);
    QTRY_VERIFY(std::abs(scene.layerScale() - 2 * view.devicePixelRatioF()) < 0.01);
    QTRY_VERIFY_WITH_TIMEOUT(!scene.isRebaking() && scene.bakedCount() == 1, 10000);
    const QImage img = renderThroughScene(scene);
    QVERIFY_PIXEL(img, 200, 100, kRed);
}

void TestBoardScene::largeViewShowsQuickLayerThenSharp()
{
    // A whole drawing on a view larger than 800x600: a complete layer at 1.25 px/unit first,
    // then one at the view's scale; both hold every line.
    BoardModel model;
    BoardScene scene(&model);
    ui::BoardView view(&scene);
    view.resize(1600, 1200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(std::abs(scene.layerScale() - 2.5 * view.devicePixelRatioF()) < 0.01);
    protocol::Drawing d;
    for (int i = 0; i < 300; ++i)
        d.lines.append(makeLine(uuid(100 + i), {10.0 + i, 300, 10.0 + i, 400},
                                QStringLiteral("#0167ca"), QStringLiteral("pen"), 2));
    d.lines.append(makeLine(uuid(1), {400, 100, 600, 100}, QStringLiteral("#e02d25"),
                            QStringLiteral("pen"), 20));
    QSignalSpy layers(&scene, &BoardScene::layerChanged);
    model.setDrawing(d);
    QTRY_VERIFY_WITH_TIMEOUT(scene.showsEverything() && scene.isSharp(), 10000);
    QVERIFY(layers.count() >= 2); // the quick layer, then the sharp one
    QCOMPARE(scene.bakedCount(), 301);
    const QImage img = renderThroughScene(scene);
    QVERIFY_PIXEL(img, 500, 100, kRed);
    QVERIFY_PIXEL(img, 150, 350, QColor(0x01, 0x67, 0xca));
    QVERIFY_PIXEL(img, 500, 300, kWhite);
}

QTEST_MAIN(TestBoardScene)
#include "tst_board_scene.moc"
