// BoardScene's strokes: the model's lines as StrokeItems (made on demand, stacked in drawing
// order), what an added, changed or removed line does to the layer, and painting the board.
// The layer itself (baking, re-baking, its scale) is in board_scene_layer.cpp.
#include "board_scene.h"

#include "board/board_canvas.h"
#include "board_colors.h"
#include "stroke_item.h"
#include "stroke_raster.h"

#include <QImage>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <limits>

namespace chalk::ui {

namespace {
const QColor kDesk(0x9e, 0xa3, 0xa8);
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
    setUpLayer();
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

void BoardScene::rebuild()
{
    clearStrokes();
    m_loading = true;
    for (const auto &line : m_model->lines())
        addStroke(line.uuid);
    m_loading = false;
    bakeLoaded();
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
