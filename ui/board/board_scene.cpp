#include "board_scene.h"

#include "board/board_canvas.h"
#include "board_colors.h"
#include "stroke_item.h"
#include "stroke_raster.h"

#include <QGraphicsView>
#include <QImage>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QThread>
#include <QtConcurrent>
#include <cmath>
#include <limits>
#include <thread>
#include <utility>

namespace chalk::ui {

namespace {
const QColor kDesk(0x9e, 0xa3, 0xa8);
constexpr double kMaxLayerScale = 4; // 2560x1920 pixels, 19 MB
constexpr double kMinLayerScale = 0.5;
constexpr double kQuickScale = 1.25;   // a whole drawing's first bake: 800x600 pixels
constexpr qint64 kSliceNs = 8'000'000; // per event-loop turn: frames stay smooth while baking

// What a worker thread needs to paint one stroke: plain values, nothing shared with items.
struct StrokeSnapshot {
    QList<double> xy; // implicitly shared with the model's line, only read
    QColor color;
    double width = 0;
};

StrokeSnapshot snapshotOf(const protocol::Line &line)
{
    return {line.points, StrokeItem::colorFor(line), board::effectiveWidth(line)};
}

// Paints the strokes in order into a fresh layer; the layer is cut into horizontal bands,
// one thread each (a stroke is painted in every band it touches, so order holds per band).
QImage renderLayer(const QList<StrokeSnapshot> &strokes, QSize size, double scale,
                   std::shared_ptr<std::atomic<int>> generation, int mine)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(boardPaperColor());
    const int bands = std::clamp(QThread::idealThreadCount(), 1, 8);
    const int bandHeight = (size.height() + bands - 1) / bands;
    std::vector<std::unique_ptr<StrokeRaster>> rasters;
    for (int b = 0; b < bands; ++b)
        rasters.push_back(
            std::make_unique<StrokeRaster>(&image, scale, b * bandHeight, bandHeight));
    auto paintBand = [&](int band) {
        StrokeRaster &raster = *rasters[size_t(band)];
        for (qsizetype i = 0; i < strokes.size(); ++i) {
            if (i % 256 == 0 && generation->load() != mine)
                return; // a newer re-bake started: this one is wasted work
            const StrokeSnapshot &s = strokes[i];
            raster.paint(s.xy, s.color, s.width);
        }
    };
    std::vector<std::thread> threads;
    for (int b = 1; b < bands; ++b)
        threads.emplace_back(paintBand, b);
    paintBand(0);
    for (auto &t : threads)
        t.join();
    return image;
}
} // namespace

BoardScene::BoardScene(board::BoardModel *model, QObject *parent, ItemIndexMethod index)
    : QGraphicsScene(parent)
    , m_model(model)
{
    // Set once: an unset scene rect grows with every item's bounding rect, which makes the
    // view re-layout (and with a BSP index, rebuild the tree) as strokes arrive.
    setSceneRect(0, 0, board::kCanvasWidth, board::kCanvasHeight);
    setItemIndexMethod(index);
    m_clock.start();
    m_layer = blankLayer();
    m_rebakeGeneration = std::make_shared<std::atomic<int>>(0);
    connect(&m_rebakeWatcher, &QFutureWatcher<QImage>::finished, this, &BoardScene::onRebakeDone);
    m_bakeTimer.setSingleShot(true);
    connect(&m_bakeTimer, &QTimer::timeout, this, [this] { bakeSlice(kSliceNs); });
    m_scaleTimer.setSingleShot(true);
    m_scaleTimer.setInterval(150);
    connect(&m_scaleTimer, &QTimer::timeout, this, [this] {
        if (m_layer.size() != layerSize())
            startRebake();
    });
    connect(model, &board::BoardModel::lineAdded, this, &BoardScene::addStroke);
    connect(model, &board::BoardModel::lineUpdated, this, &BoardScene::updateStroke);
    connect(model, &board::BoardModel::lineRemoved, this, &BoardScene::removeStroke);
    connect(model, &board::BoardModel::cleared, this, &BoardScene::clearStrokes);
    connect(model, &board::BoardModel::loadingStarted, this, [this] { m_loading = true; });
    connect(model, &board::BoardModel::loadingFinished, this, [this] {
        m_loading = false;
        bakeLoaded();
    });
    connect(model, &board::BoardModel::strokeFinished, this, [this] { scheduleBake(m_settleMs); });
    rebuild();
}

BoardScene::~BoardScene()
{
    m_rebakeGeneration->store(-1); // a re-bake still running stops early; nobody waits
    for (StrokeItem *item : std::as_const(m_items)) {
        if (!item->scene())
            delete item;
    }
}

QSize BoardScene::layerSize() const
{
    return QSize(qRound(sceneRect().width() * m_layerScale),
                 qRound(sceneRect().height() * m_layerScale));
}

double BoardScene::shownLayerScale() const
{
    // The layer on show may still be at an older scale while a sharper one is on its way.
    return m_layer.width() / sceneRect().width();
}

QImage BoardScene::blankLayer() const
{
    QImage img(layerSize(), QImage::Format_ARGB32_Premultiplied);
    img.fill(boardPaperColor());
    return img;
}

void BoardScene::setLayer(QImage layer)
{
    m_raster.reset(); // it writes into the old layer's pixels
    m_layer = std::move(layer);
}

void BoardScene::rebuild()
{
    clearStrokes();
    m_loading = true;
    for (const auto &line : m_model->lines())
        addStroke(line.uuid);
    m_loading = false;
    bakeLoaded();
}

bool BoardScene::showsEverything() const
{
    return m_model && m_baked == m_model->lineCount() && items().isEmpty();
}

bool BoardScene::isSharp() const
{
    return !m_rebaking && !m_scaleTimer.isActive() && m_layer.size() == layerSize();
}

int BoardScene::strokeCount() const
{
    return m_model ? m_model->lineCount() : 0;
}

StrokeItem *BoardScene::item(const QString &uuid) const
{
    // Lines that came with a drawing are painted straight into the layer and have no item
    // until something asks for one (an update, a test, a hit test).
    if (StrokeItem *existing = m_items.value(uuid))
        return existing;
    return const_cast<BoardScene *>(this)->materialize(uuid);
}

StrokeItem *BoardScene::materialize(const QString &uuid)
{
    const protocol::Line *line = m_model ? m_model->line(uuid) : nullptr;
    if (!line)
        return nullptr;
    auto *item = new StrokeItem(*line);
    item->setChangedAt(std::numeric_limits<qint64>::min() / 2); // settled
    item->setVisible(false);
    m_items.insert(uuid, item);
    restack();
    return item;
}

void BoardScene::restack()
{
    // z follows the drawing order (later lines and erasers paint over earlier ones); only the
    // few lines that have items need one.
    for (auto it = m_items.cbegin(); it != m_items.cend(); ++it)
        (*it)->setZValue(m_model->indexOf(it.key()));
    m_nextZ = m_model->lineCount();
}

StrokeItem *BoardScene::itemAt(int index) const
{
    return index < m_model->lineCount() ? m_items.value(m_model->lineAt(index).uuid) : nullptr;
}

bool BoardScene::isSettled(int index, qint64 now) const
{
    const StrokeItem *item = itemAt(index);
    if (!item)
        return true; // came with a drawing: final
    return item->uuid() != m_model->liveStroke() && now - item->changedAt() >= m_settleMs;
}

void BoardScene::addStroke(const QString &uuid)
{
    const protocol::Line *line = m_model->line(uuid);
    if (!line || m_items.contains(uuid))
        return;
    // A drawing_got's lines are final: they go straight into the layer (bakeLoaded), with
    // no item, rather than being painted as 10 000 items in the meantime.
    if (m_loading)
        return;
    auto *item = new StrokeItem(*line);
    m_items.insert(uuid, item);
    // Explicit stacking: later lines (and eraser strokes) paint over earlier ones. A line can
    // arrive below our own strokes the server has not stored yet (BoardModel::lineAdded).
    const int index = m_model->indexOf(uuid);
    if (index == m_model->lineCount() - 1) {
        item->setZValue(m_nextZ++);
    } else {
        restack();
        const int bakedLines = m_rebaking ? m_rebakeTarget : m_baked;
        if (index < bakedLines) {
            // Under strokes already in the layer: shown on top until the layer is redone.
            if (m_rebaking) {
                ++m_rebakeTarget;
                if (index < m_nextCount)
                    restartRebake();
            } else {
                ++m_baked;
                startRebake();
            }
        }
    }
    item->setChangedAt(m_clock.elapsed());
    setShown(item, true);
    scheduleBake(m_settleMs);
}

void BoardScene::updateStroke(const QString &uuid, int firstChangedPoint)
{
    const protocol::Line *line = m_model->line(uuid);
    StrokeItem *item = line ? this->item(uuid) : nullptr;
    if (!item)
        return;
    item->setStyle(*line);
    item->setPoints(line->points, firstChangedPoint);
    item->setChangedAt(m_clock.elapsed());
    setShown(item, true); // if baked: shown over its old self until the layer is redone
    const int index = m_model->indexOf(uuid);
    if (m_rebaking && index < m_rebakeTarget) {
        if (index < m_nextCount)
            restartRebake();
    } else if (!m_rebaking && index < m_baked) {
        startRebake();
    } else {
        scheduleBake(m_settleMs);
    }
}

void BoardScene::removeStroke(const QString &uuid, int formerIndex)
{
    delete m_items.take(uuid); // removes it from the scene
    if (m_rebaking) {
        if (formerIndex < m_rebakeTarget) {
            --m_rebakeTarget;
            if (formerIndex < m_nextCount)
                restartRebake();
        }
    } else if (formerIndex < m_baked) {
        // Still in the layer on show until the new one (without it) is ready.
        --m_baked;
        startRebake();
    }
}

void BoardScene::setShown(StrokeItem *item, bool shown)
{
    // A baked stroke is taken out of the scene, not just hidden: every frame (and every
    // NoIndex query) walks the scene's items, and 10 000 hidden ones cost ~20 ms a frame.
    item->setVisible(shown);
    if (shown && !item->scene())
        addItem(item);
    else if (!shown && item->scene())
        removeItem(item);
}

void BoardScene::clearStrokes()
{
    // Every item is a stroke; clear() empties the index before deleting, in one go.
    for (StrokeItem *item : std::as_const(m_items)) {
        if (!item->scene())
            delete item; // baked: not in the scene, so clear() would not delete it
    }
    m_items.clear();
    clear();
    m_nextZ = 0;
    m_baked = 0;
    m_rebaking = false;
    m_quickFirst = false;
    m_rebakeGeneration->fetch_add(1);
    m_next = QImage();
    setLayer(blankLayer());
    invalidate(sceneRect(), BackgroundLayer);
}

void BoardScene::bakeLoaded()
{
    // A whole drawing: baked on worker threads (one band of the layer each) rather than
    // slice by slice; the few lines after it that are still changing stay items.
    if (m_rebaking || m_baked != 0 || m_model->lineCount() == 0)
        return;
    const qint64 now = m_clock.elapsed();
    int settled = 0;
    while (settled < m_model->lineCount() && isSettled(settled, now))
        ++settled;
    if (settled <= 64) {
        scheduleBake(0); // a few: painted on this thread in the next turn
        return;
    }
    m_rebakeTarget = settled;
    m_rebaking = true;
    // On a large view, a whole picture at a modest scale first (sooner: the cost grows with
    // the pixels), then the sharp one, both off this thread.
    m_quickFirst = m_layerScale > kQuickScale + 0.01 &&
                   std::any_of(views().cbegin(), views().cend(),
                               [](const QGraphicsView *v) { return v->isVisible(); });
    restartRebake();
}

void BoardScene::scheduleBake(int delayMs)
{
    if (!m_bakeTimer.isActive() || m_bakeTimer.remainingTime() > delayMs)
        m_bakeTimer.start(std::max(0, delayMs));
}

void BoardScene::startRebake()
{
    if (!m_rebaking)
        m_rebakeTarget = m_baked;
    m_rebaking = true;
    restartRebake();
}

void BoardScene::restartRebake()
{
    QList<StrokeSnapshot> strokes;
    strokes.reserve(m_rebakeTarget);
    for (int i = 0; i < m_rebakeTarget && i < m_model->lineCount(); ++i)
        strokes.append(snapshotOf(m_model->lineAt(i)));
    m_nextCount = m_rebakeTarget;
    const int mine = m_rebakeGeneration->fetch_add(1) + 1;
    const double scale = m_quickFirst ? kQuickScale : m_layerScale;
    const QSize size(qRound(sceneRect().width() * scale), qRound(sceneRect().height() * scale));
    m_rebakeWatcher.setFuture(
        QtConcurrent::run(renderLayer, strokes, size, scale, m_rebakeGeneration, mine));
}

void BoardScene::onRebakeDone()
{
    if (!m_rebaking || m_rebakeWatcher.isCanceled())
        return;
    m_next = m_rebakeWatcher.result();
    finishRebake();
    if (std::exchange(m_quickFirst, false) && m_layer.size() != layerSize()) {
        startRebake(); // now the sharp one; the quick one is on show meanwhile
        return;
    }
    bakeSlice(kSliceNs); // strokes that settled meanwhile
}

void BoardScene::requestLayerScale(double pixelsPerUnit)
{
    // The layer is drawn 1:1 into a view that shows the board at this scale: crisp, and a
    // blit rather than a resampling. It only grows (a smaller view shows it scaled down),
    // except before anything is baked, when it is simply the view's.
    const double wanted = std::clamp(pixelsPerUnit, kMinLayerScale, kMaxLayerScale);
    const bool nothingBaked = m_baked == 0 && !m_rebaking;
    if (std::abs(wanted - m_layerScale) < 0.01 || (!nothingBaked && wanted < m_layerScale))
        return;
    m_layerScale = wanted;
    if (nothingBaked) {
        setLayer(blankLayer());
        return;
    }
    // Until the sharper layer is ready the old one is shown scaled up. A window being dragged
    // larger asks on every step: re-bake once it has stopped for a moment, not per step.
    m_scaleTimer.start();
}

void BoardScene::finishRebake()
{
    setLayer(std::move(m_next));
    m_next = QImage();
    m_rebaking = false;
    m_baked = m_rebakeTarget;
    for (auto it = m_items.cbegin(); it != m_items.cend(); ++it) {
        if (m_model->indexOf(it.key()) < m_baked)
            setShown(*it, false);
    }
    invalidate(sceneRect(), BackgroundLayer);
    emit layerChanged();
}

void BoardScene::bakeSlice(qint64 budgetNs)
{
    if (!m_model)
        return;
    QElapsedTimer t;
    t.start();
    const auto inBudget = [&] { return budgetNs < 0 || t.nsecsElapsed() < budgetNs; };
    if (m_rebaking)
        return; // onRebakeDone carries on
    // Extend the prefix with strokes that stopped changing.
    const qint64 now = m_clock.elapsed();
    if (!m_raster || !m_layer.isDetached())
        m_raster = std::make_unique<StrokeRaster>(&m_layer, shownLayerScale());
    QRect dirty;
    while (m_baked < m_model->lineCount() && inBudget()) {
        if (!isSettled(m_baked, now))
            break;
        const protocol::Line &line = m_model->lineAt(m_baked);
        dirty |=
            m_raster->paint(line.points, StrokeItem::colorFor(line), board::effectiveWidth(line));
        if (StrokeItem *item = itemAt(m_baked))
            setShown(item, false);
        ++m_baked;
    }
    if (!dirty.isEmpty()) {
        const QRectF r(QRectF(dirty).adjusted(-1, -1, 1, 1));
        const double scale = shownLayerScale();
        invalidate(QRectF(r.topLeft() / scale, r.size() / scale), BackgroundLayer);
        emit layerChanged();
    }
    if (m_baked >= m_model->lineCount())
        return;
    if (isSettled(m_baked, now)) {
        scheduleBake(0); // out of time: go on after this frame
        return;
    }
    const StrokeItem *next = itemAt(m_baked);
    if (next && next->uuid() != m_model->liveStroke())
        scheduleBake(int(m_settleMs - (now - next->changedAt())) + 1);
    // A live stroke: its release (lineUpdated or strokeFinished) schedules the next look.
}

void BoardScene::bakeAllNow()
{
    const int saved = m_settleMs;
    m_settleMs = 0;
    if (m_scaleTimer.isActive()) {
        m_scaleTimer.stop();
        startRebake();
    }
    while (m_rebaking) {
        m_rebakeWatcher.waitForFinished();
        m_next = m_rebakeWatcher.result();
        finishRebake();
        if (std::exchange(m_quickFirst, false) && m_layer.size() != layerSize())
            startRebake();
    }
    bakeSlice(-1);
    m_settleMs = saved;
}

void BoardScene::drawBackground(QPainter *painter, const QRectF &rect)
{
    const QRectF paper = rect & sceneRect();
    if (paper != rect)
        painter->fillRect(rect, kDesk); // the desk around the board
    if (paper.isEmpty())
        return;
    // The layer's pixels for that part of the canvas.
    const double scale = shownLayerScale();
    const QRectF source((paper.topLeft() - sceneRect().topLeft()) * scale, paper.size() * scale);
    painter->save();
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    painter->drawImage(paper, m_layer, source);
    painter->restore();
}

void BoardScene::drawForeground(QPainter *painter, const QRectF &rect)
{
    // Ink beyond the canvas edge is not on the board (the original's stage clipped it too).
    if (sceneRect().contains(rect))
        return;
    QPainterPath outside;
    outside.addRect(rect);
    QPainterPath canvas;
    canvas.addRect(sceneRect());
    painter->fillPath(outside.subtracted(canvas), kDesk);
}

QImage BoardScene::renderImage(double scale)
{
    const QSize size(qRound(sceneRect().width() * scale), qRound(sceneRect().height() * scale));
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(boardPaperColor());
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(scale, scale);
    p.translate(-sceneRect().topLeft());
    p.setClipRect(sceneRect());
    QStyleOptionGraphicsItem option;
    for (int i = 0; m_model && i < m_model->lineCount(); ++i) {
        if (StrokeItem *item = itemAt(i)) {
            item->paint(&p, &option, nullptr);
        } else {
            StrokeItem loaded(m_model->lineAt(i)); // painted afresh, as an item would be
            loaded.paint(&p, &option, nullptr);
        }
    }
    p.end();
    return image;
}

} // namespace chalk::ui
