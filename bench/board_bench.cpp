// board_bench: the drawing board with 10 000 strokes, offscreen. Prints ONE JSON line:
//   {"scenario":"board_scene", ...}
// - build_ms: BoardModel::setDrawing -> scene items, per item index method; bake_ms: until
//   all of them are painted into the scene's raster layer (worker threads, one band each)
// - frame_ms: QGraphicsView::render() of the whole fitted board at two view sizes (at the
//   larger also right after the resize, before its sharper layer is ready), and of a 2x
//   zoomed view panned across the board (median of several frames), per index method;
//   items_only_frame_ms: the same frame with every stroke painted as an item (no layer), and
//   with DeviceCoordinateCache on every item (a cached frame, and the frame after a resize)
// - extend_us: one point added to a live stroke (model -> item, in place), and the frame of
//   the dirty region that point causes; the same growth through QGraphicsPathItem::setPath
//   for comparison (why StrokeItem is not a QGraphicsPathItem).
// Options: --strokes N (10000), --frames N (7), --seed N.
#include "board/board_canvas.h"
#include "board/board_model.h"
#include "board_scene.h"
#include "board_view.h"
#include "protocol/colors.h"
#include "stroke_item.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QGraphicsPathItem>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QRandomGenerator>
#include <algorithm>
#include <cstdio>

using namespace chalk;

namespace {

protocol::Drawing randomDrawing(int strokes, quint32 seed, qint64 *totalPoints)
{
    QRandomGenerator rng(seed);
    const QStringList &palette = protocol::drawingPalette();
    const double widths[] = {2, 5, 10, 20};
    protocol::Drawing d;
    d.lines.reserve(strokes);
    *totalPoints = 0;
    for (int i = 0; i < strokes; ++i) {
        protocol::Line l;
        l.uuid = protocol::newUuid();
        l.tool = rng.bounded(10) == 0 ? QStringLiteral("eraser") : QStringLiteral("pen");
        l.color = palette.at(rng.bounded(int(palette.size()))).toLower();
        l.width = widths[rng.bounded(4)];
        // A hand-drawn-ish random walk of 10..80 points.
        const int n = 10 + int(rng.bounded(71));
        double x = rng.bounded(board::kCanvasWidth), y = rng.bounded(board::kCanvasHeight);
        double dx = 0, dy = 0;
        for (int k = 0; k < n; ++k) {
            dx = std::clamp(dx + (rng.generateDouble() - 0.5) * 4, -6.0, 6.0);
            dy = std::clamp(dy + (rng.generateDouble() - 0.5) * 4, -6.0, 6.0);
            x = std::clamp(x + dx, 0.0, board::kCanvasWidth);
            y = std::clamp(y + dy, 0.0, board::kCanvasHeight);
            l.points << std::round(x * 10) / 10 << std::round(y * 10) / 10;
        }
        *totalPoints += n;
        d.lines.append(l);
    }
    return d;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v[v.size() / 2];
}

double ms(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

// One full frame of the view as the viewport would paint it (antialiased, into an image).
double frameMs(ui::BoardView &view, int frames)
{
    QImage target(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    QList<double> times;
    for (int i = 0; i < frames; ++i) {
        target.fill(Qt::black);
        QPainter p(&target);
        p.setRenderHints(view.renderHints());
        QElapsedTimer t;
        t.start();
        view.render(&p, QRectF(target.rect()), view.viewport()->rect());
        p.end();
        times.append(ms(t));
    }
    return median(times);
}

double panFrameMs(ui::BoardView &view, int frames)
{
    // Zoomed 2x, the view moves over the board: every frame shows a different quarter.
    view.resetTransform();
    view.scale(view.viewport()->width() / board::kCanvasWidth * 2,
               view.viewport()->width() / board::kCanvasWidth * 2);
    QList<double> times;
    for (int i = 0; i < frames; ++i) {
        const double fx = (i % 4 + 0.5) / 4.0, fy = ((i / 4) % 2 + 0.5) / 2.0;
        view.centerOn(fx * board::kCanvasWidth, fy * board::kCanvasHeight);
        times.append(frameMs(view, 1));
    }
    return median(times);
}

struct SceneFigures {
    double buildMs = 0, bakeMs = 0, itemsOnlyFrame = 0;
    double frameSmall = 0, frameLarge = 0, framePan = 0, frameResizing = 0;
    double frameSmallCached = 0, frameResizeCached = 0;
    double extendUs = 0, liveRegionFrameMs = 0;
};

SceneFigures measure(const protocol::Drawing &drawing, QGraphicsScene::ItemIndexMethod index,
                     int frames, bool full)
{
    SceneFigures f;
    board::BoardModel model;
    ui::BoardScene scene(&model, nullptr, index);
    QElapsedTimer t;
    t.start();
    model.setDrawing(drawing);
    // The index is built lazily: force it, as the first frame would.
    scene.items(QRectF(0, 0, 1, 1));
    f.buildMs = ms(t);

    ui::BoardView view(&scene);
    view.resize(800, 600);
    view.show();
    QCoreApplication::processEvents();
    t.restart();
    scene.bakeAllNow();
    f.bakeMs = ms(t);
    f.frameSmall = frameMs(view, frames);
    view.resize(1600, 1200);
    QCoreApplication::processEvents();
    // Right after a resize: the old, smaller layer drawn scaled up until the sharper one
    // (re-baked off the GUI thread once the view stops growing) is ready.
    f.frameResizing = frameMs(view, frames);
    scene.bakeAllNow(); // a larger view asked for a sharper layer
    f.frameLarge = frameMs(view, frames);
    view.resize(800, 600);
    QCoreApplication::processEvents();
    f.framePan = panFrameMs(view, std::max(frames, 8));
    view.resize(801, 600); // back to fitted
    view.resize(800, 600);
    QCoreApplication::processEvents();

    // A live stroke on top of the full board: cost of one point, and of repainting the
    // region it dirtied (what the viewport repaints for that point).
    model.beginStroke(QStringLiteral("pen"), QStringLiteral("#e02d25"), 5);
    const int points = 1500;
    QList<double> regionFrames;
    QImage target(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    t.restart();
    qint64 extendNs = 0;
    for (int i = 0; i < points; ++i) {
        const QPointF p(50 + i * 0.35, 240 + 120 * std::sin(i / 40.0));
        QElapsedTimer one;
        one.start();
        model.extendStroke(p);
        extendNs += one.nsecsElapsed();
        if (full && i % 100 == 99) {
            const QRect dirty =
                view.mapFromScene(QRectF(p - QPointF(8, 8), QSizeF(16, 16))).boundingRect();
            QPainter painter(&target);
            painter.setRenderHints(view.renderHints());
            painter.setClipRect(dirty);
            QElapsedTimer fr;
            fr.start();
            view.render(&painter, QRectF(dirty), dirty);
            regionFrames.append(ms(fr));
        }
    }
    model.endStroke();
    f.extendUs = double(extendNs) / points / 1e3;
    f.liveRegionFrameMs = median(regionFrames);
    scene.bakeAllNow();
    if (full) {
        // Without the layer: every stroke is an item the view paints.
        QList<QGraphicsItem *> all;
        for (const auto &line : model.lines()) {
            QGraphicsItem *item = scene.item(line.uuid);
            item->setVisible(true);
            if (!item->scene())
                scene.addItem(item);
            all.append(item);
        }
        f.itemsOnlyFrame = frameMs(view, 1);
        for (QGraphicsItem *item : all)
            item->setCacheMode(QGraphicsItem::DeviceCoordinateCache);
        frameMs(view, 1); // fill the caches
        f.frameSmallCached = frameMs(view, 1);
        view.resize(840, 630);
        QCoreApplication::processEvents();
        f.frameResizeCached = frameMs(view, 1);
        for (QGraphicsItem *item : all) {
            item->setCacheMode(QGraphicsItem::NoCache);
            item->setVisible(false);
            scene.removeItem(item);
        }
        view.resize(800, 600);
    }

    return f;
}

// The same live growth through QGraphicsPathItem: path() copy + setPath per point.
double pathItemExtendUs(int points)
{
    QGraphicsScene scene(0, 0, board::kCanvasWidth, board::kCanvasHeight);
    scene.setItemIndexMethod(QGraphicsScene::NoIndex);
    auto *item = scene.addPath(QPainterPath(QPointF(50, 240)), QPen(Qt::red, 5));
    QElapsedTimer t;
    t.start();
    for (int i = 1; i < points; ++i) {
        QPainterPath p = item->path();
        p.lineTo(50 + i * 0.35, 240 + 120 * std::sin(i / 40.0));
        item->setPath(p);
        item->boundingRect(); // what the view asks for on the next frame
    }
    return double(t.nsecsElapsed()) / points / 1e3;
}

QJsonObject figures(const SceneFigures &f, bool full)
{
    QJsonObject o{{QStringLiteral("build_ms"), f.buildMs},
                  {QStringLiteral("bake_ms"), f.bakeMs},
                  {QStringLiteral("frame_ms_fit_800x600"), f.frameSmall},
                  {QStringLiteral("frame_ms_fit_1600x1200"), f.frameLarge},
                  {QStringLiteral("frame_ms_1600x1200_before_rebake"), f.frameResizing},
                  {QStringLiteral("frame_ms_pan_2x_800x600"), f.framePan},
                  {QStringLiteral("extend_us"), f.extendUs}};
    if (full) {
        o.insert(QStringLiteral("live_point_region_frame_ms"), f.liveRegionFrameMs);
        o.insert(QStringLiteral("items_only_frame_ms_800x600"), f.itemsOnlyFrame);
        o.insert(QStringLiteral("items_device_cache_frame_ms_800x600"), f.frameSmallCached);
        o.insert(QStringLiteral("items_device_cache_resize_frame_ms"), f.frameResizeCached);
    }
    return o;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("strokes"), QStringLiteral("strokes on the board"),
                      QStringLiteral("n"), QStringLiteral("10000")});
    parser.addOption({QStringLiteral("frames"), QStringLiteral("frames per figure (median)"),
                      QStringLiteral("n"), QStringLiteral("7")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("random seed"), QStringLiteral("n"),
                      QStringLiteral("20261123")});
    parser.process(app);
    const int strokes = std::max(1, parser.value(QStringLiteral("strokes")).toInt());
    const int frames = std::max(1, parser.value(QStringLiteral("frames")).toInt());

    qint64 totalPoints = 0;
    const protocol::Drawing drawing =
        randomDrawing(strokes, parser.value(QStringLiteral("seed")).toUInt(), &totalPoints);

    const bool chosenIsBsp = ui::BoardScene::kIndexMethod == QGraphicsScene::BspTreeIndex;
    const SceneFigures noIndex = measure(drawing, QGraphicsScene::NoIndex, frames, !chosenIsBsp);
    const SceneFigures bsp = measure(drawing, QGraphicsScene::BspTreeIndex, frames, chosenIsBsp);

    QJsonObject out{
        {QStringLiteral("scenario"), QStringLiteral("board_scene")},
        {QStringLiteral("strokes"), strokes},
        {QStringLiteral("points"), totalPoints},
        {QStringLiteral("index_used"),
         chosenIsBsp ? QStringLiteral("BspTreeIndex") : QStringLiteral("NoIndex")},
        {QStringLiteral("no_index"), figures(noIndex, !chosenIsBsp)},
        {QStringLiteral("bsp_tree"), figures(bsp, chosenIsBsp)},
        {QStringLiteral("path_item_extend_us_1500pts"), pathItemExtendUs(1500)},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}
