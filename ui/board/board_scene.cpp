#include "board_scene.h"

#include "board/board_canvas.h"
#include "board_colors.h"
#include "stroke_item.h"

#include <QImage>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QThread>
#include <QtConcurrent>
#include <cmath>
#include <limits>
#include <thread>

namespace chalk::ui {

namespace {
const QColor kDesk(0x9e, 0xa3, 0xa8);
constexpr double kMaxLayerScale = 4;   // 2560x1920 pixels, 19 MB
constexpr qint64 kSliceNs = 8'000'000; // per event-loop turn: frames stay smooth while baking

// What a worker thread needs to paint one stroke: plain values, nothing shared with items.
struct StrokeSnapshot {
    QList<QPointF> points; // implicitly shared, only read
    QPen pen;
    QRectF bounds;
};

// Paints the strokes in order into a fresh layer; the layer is cut into horizontal bands,
// one thread each (a stroke is painted in every band it touches, so order holds per band).
QImage renderLayer(const QList<StrokeSnapshot> &strokes, QSize size, double scale,
                   std::shared_ptr<std::atomic<int>> generation, int mine)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(boardPaperColor());
    const int bands = std::clamp(QThread::idealThreadCount(), 1, 8);
    const int bandHeight = (size.height() + bands - 1) / bands;
    uchar *bits = image.bits();
    const qsizetype bpl = image.bytesPerLine();
    auto paintBand = [&](int band) {
        const int top = band * bandHeight;
        const int height = std::min(bandHeight, size.height() - top);
        if (height <= 0)
            return;
        QImage part(bits + top * bpl, size.width(), height, bpl, image.format());
        QPainter p(&part);
        p.setRenderHint(QPainter::Antialiasing);
        p.translate(0, -top);
        p.scale(scale, scale);
        const QRectF bandRect(0, top / scale, size.width() / scale, height / scale);
        p.setClipRect(bandRect);
        p.setBrush(Qt::NoBrush);
        for (qsizetype i = 0; i < strokes.size(); ++i) {
            if (i % 256 == 0 && generation->load() != mine)
                return; // a newer re-bake started: this one is wasted work
            const StrokeSnapshot &s = strokes[i];
            if (s.points.isEmpty() || !s.bounds.intersects(bandRect))
                continue;
            p.setPen(s.pen);
            if (s.points.size() == 1) {
                p.drawPoint(s.points.first());
                continue;
            }
            TensionPath path(board::kTension);
            for (const QPointF &pt : s.points)
                path.append(pt);
            p.drawPath(path.path());
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
    connect(model, &board::BoardModel::lineAdded, this, &BoardScene::addStroke);
    connect(model, &board::BoardModel::lineUpdated, this, &BoardScene::updateStroke);
    connect(model, &board::BoardModel::lineRemoved, this, &BoardScene::removeStroke);
    connect(model, &board::BoardModel::cleared, this, &BoardScene::clearStrokes);
    connect(model, &board::BoardModel::loadingStarted, this, [this] { m_loading = true; });
    connect(model, &board::BoardModel::loadingFinished, this, [this] {
        m_loading = false;
        // A whole drawing: baked on worker threads rather than slice by slice.
        if (!m_rebaking && m_baked == 0 && m_model->lineCount() > 64) {
            int settled = 0;
            while (settled < m_model->lineCount() && !itemAt(settled)->isVisible())
                ++settled;
            if (settled > 0) {
                m_rebakeTarget = settled;
                m_rebaking = true;
                restartRebake();
            }
        }
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

QImage BoardScene::blankLayer() const
{
    const QSize size(qRound(sceneRect().width() * m_layerScale),
                     qRound(sceneRect().height() * m_layerScale));
    QImage img(size, QImage::Format_ARGB32_Premultiplied);
    img.fill(boardPaperColor());
    return img;
}

void BoardScene::rebuild()
{
    clearStrokes();
    m_loading = true;
    for (const auto &line : m_model->lines())
        addStroke(line.uuid);
    m_loading = false;
}

StrokeItem *BoardScene::itemAt(int index) const
{
    return index < m_model->lineCount() ? m_items.value(m_model->lineAt(index).uuid) : nullptr;
}

bool BoardScene::isSettled(const StrokeItem *item, qint64 now) const
{
    return item->uuid() != m_model->liveStroke() && now - item->changedAt() >= m_settleMs;
}

void BoardScene::addStroke(const QString &uuid)
{
    const protocol::Line *line = m_model->line(uuid);
    if (!line || m_items.contains(uuid))
        return;
    auto *item = new StrokeItem(*line);
    // Explicit stacking: later lines (and eraser strokes) paint over earlier ones. A line can
    // arrive below our own strokes the server has not stored yet (BoardModel::lineAdded).
    const int index = m_model->indexOf(uuid);
    StrokeItem *above = itemAt(index + 1);
    if (!above) {
        item->setZValue(m_nextZ++);
    } else {
        StrokeItem *below = index > 0 ? itemAt(index - 1) : nullptr;
        item->setZValue(below ? (below->zValue() + above->zValue()) / 2 : above->zValue() - 1);
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
    // A drawing_got's lines are final: hidden until baked (a moment later, slice by slice)
    // rather than painted as 10 000 items in the meantime.
    item->setChangedAt(m_loading ? std::numeric_limits<qint64>::min() / 2 : m_clock.elapsed());
    m_items.insert(uuid, item);
    setShown(item, !m_loading);
    scheduleBake(m_loading ? 0 : m_settleMs);
}

void BoardScene::updateStroke(const QString &uuid, int firstChangedPoint)
{
    StrokeItem *item = m_items.value(uuid);
    const protocol::Line *line = m_model->line(uuid);
    if (!item || !line)
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
    m_rebakeGeneration->fetch_add(1);
    m_next = QImage();
    m_layer = blankLayer();
    invalidate(sceneRect(), BackgroundLayer);
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
    for (int i = 0; i < m_rebakeTarget; ++i) {
        if (StrokeItem *item = itemAt(i))
            strokes.append({item->points(), item->pen(), item->boundingRect()});
    }
    m_nextCount = m_rebakeTarget;
    const int mine = m_rebakeGeneration->fetch_add(1) + 1;
    const QSize size = blankLayer().size();
    m_rebakeWatcher.setFuture(
        QtConcurrent::run(renderLayer, strokes, size, m_layerScale, m_rebakeGeneration, mine));
}

void BoardScene::onRebakeDone()
{
    if (!m_rebaking || m_rebakeWatcher.isCanceled())
        return;
    m_next = m_rebakeWatcher.result();
    finishRebake();
    bakeSlice(kSliceNs); // strokes that settled meanwhile
}

void BoardScene::requestLayerScale(double pixelsPerUnit)
{
    const double wanted = std::min(kMaxLayerScale, std::ceil(pixelsPerUnit * 2) / 2);
    if (wanted <= m_layerScale)
        return;
    m_layerScale = wanted;
    // Until the sharper layer is ready the old one is shown scaled up.
    startRebake();
}

void BoardScene::finishRebake()
{
    m_layer = std::move(m_next);
    m_next = QImage();
    m_rebaking = false;
    m_baked = m_rebakeTarget;
    for (int i = 0; i < m_baked; ++i) {
        if (StrokeItem *item = itemAt(i))
            setShown(item, false);
    }
    invalidate(sceneRect(), BackgroundLayer);
}

void BoardScene::bakeSlice(qint64 budgetNs)
{
    if (!m_model)
        return;
    QElapsedTimer t;
    t.start();
    const auto inBudget = [&] { return budgetNs < 0 || t.nsecsElapsed() < budgetNs; };
    QStyleOptionGraphicsItem option;
    if (m_rebaking)
        return; // onRebakeDone carries on
    // Extend the prefix with strokes that stopped changing.
    const qint64 now = m_clock.elapsed();
    QRectF dirty;
    QPainter p(&m_layer);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(m_layerScale, m_layerScale);
    p.setClipRect(sceneRect());
    while (m_baked < m_model->lineCount() && inBudget()) {
        StrokeItem *item = itemAt(m_baked);
        if (!item || !isSettled(item, now))
            break;
        item->paint(&p, &option, nullptr);
        setShown(item, false);
        dirty = dirty.isEmpty() ? item->boundingRect() : dirty.united(item->boundingRect());
        ++m_baked;
    }
    p.end();
    if (!dirty.isEmpty())
        invalidate(dirty, BackgroundLayer);
    if (m_baked >= m_model->lineCount())
        return;
    StrokeItem *next = itemAt(m_baked);
    if (!next)
        return;
    if (isSettled(next, now))
        scheduleBake(0); // out of time: go on after this frame
    else if (next->uuid() != m_model->liveStroke())
        scheduleBake(int(m_settleMs - (now - next->changedAt())) + 1);
    // A live stroke: its release (lineUpdated or strokeFinished) schedules the next look.
}

void BoardScene::bakeAllNow()
{
    const int saved = m_settleMs;
    m_settleMs = 0;
    if (m_rebaking) {
        m_rebakeWatcher.waitForFinished();
        m_next = m_rebakeWatcher.result();
        finishRebake();
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
    const QRectF source((paper.topLeft() - sceneRect().topLeft()) * m_layerScale,
                        paper.size() * m_layerScale);
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
        if (StrokeItem *item = itemAt(i))
            item->paint(&p, &option, nullptr);
    }
    p.end();
    return image;
}

} // namespace chalk::ui
