// BoardScene's layer: settled strokes painted, in drawing order, into one raster that
// drawBackground shows. New strokes join it slice by slice on the GUI thread (bakeSlice);
// a whole drawing, a change under baked strokes or a larger scale re-bakes it on worker
// threads, one band each, while the old layer stays on show.
#include "board/board_canvas.h"
#include "board_colors.h"
#include "board_scene.h"
#include "stroke_item.h"
#include "stroke_raster.h"

#include <QGraphicsView>
#include <QImage>
#include <QThread>
#include <QtConcurrent>
#include <cmath>
#include <thread>
#include <utility>

namespace chalk::ui {

namespace {
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

void BoardScene::setUpLayer()
{
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

bool BoardScene::showsEverything() const
{
    return m_model && m_baked == m_model->lineCount() && items().isEmpty();
}

bool BoardScene::isSharp() const
{
    return !m_rebaking && !m_scaleTimer.isActive() && m_layer.size() == layerSize();
}

bool BoardScene::isSettled(int index, qint64 now) const
{
    const StrokeItem *item = itemAt(index);
    if (!item)
        return true; // came with a drawing: final
    return item->uuid() != m_model->liveStroke() && now - item->changedAt() >= m_settleMs;
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

} // namespace chalk::ui
