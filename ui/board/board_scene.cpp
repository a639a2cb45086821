#include "board_scene.h"

#include "board/board_canvas.h"
#include "board/board_model.h"
#include "board_colors.h"
#include "stroke_item.h"

#include <QImage>
#include <QPainter>

namespace chalk::ui {

BoardScene::BoardScene(board::BoardModel *model, QObject *parent, ItemIndexMethod index)
    : QGraphicsScene(parent)
    , m_model(model)
{
    // Set once: an unset scene rect grows with every item's bounding rect, which makes the
    // view re-layout (and with a BSP index, rebuild the tree) as strokes arrive.
    setSceneRect(0, 0, board::kCanvasWidth, board::kCanvasHeight);
    setItemIndexMethod(index);
    connect(model, &board::BoardModel::lineAdded, this, &BoardScene::addStroke);
    connect(model, &board::BoardModel::lineUpdated, this, &BoardScene::updateStroke);
    connect(model, &board::BoardModel::lineRemoved, this, &BoardScene::removeStroke);
    connect(model, &board::BoardModel::cleared, this, &BoardScene::clearStrokes);
    rebuild();
}

void BoardScene::rebuild()
{
    clearStrokes();
    for (const auto &line : m_model->lines())
        addStroke(line.uuid);
}

void BoardScene::addStroke(const QString &uuid)
{
    const protocol::Line *line = m_model->line(uuid);
    if (!line || m_items.contains(uuid))
        return;
    auto *item = new StrokeItem(*line);
    // Explicit stacking: later lines (and eraser strokes) paint over earlier ones.
    item->setZValue(m_nextZ++);
    m_items.insert(uuid, item);
    addItem(item);
}

void BoardScene::updateStroke(const QString &uuid, int firstChangedPoint)
{
    StrokeItem *item = m_items.value(uuid);
    const protocol::Line *line = m_model->line(uuid);
    if (!item || !line)
        return;
    item->setStyle(*line);
    item->setPoints(line->points, firstChangedPoint);
}

void BoardScene::removeStroke(const QString &uuid)
{
    delete m_items.take(uuid); // removes it from the scene
}

void BoardScene::clearStrokes()
{
    // Every item is a stroke; clear() empties the index before deleting, in one go.
    m_items.clear();
    clear();
    m_nextZ = 0;
}

void BoardScene::drawBackground(QPainter *painter, const QRectF &rect)
{
    const QRectF paper = rect & sceneRect();
    if (paper != rect)
        painter->fillRect(rect, QColor(0x9e, 0xa3, 0xa8)); // the desk around the board
    painter->fillRect(paper, boardPaperColor());
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
    painter->fillPath(outside.subtracted(canvas), QColor(0x9e, 0xa3, 0xa8));
}

QImage BoardScene::renderImage(double scale)
{
    const QSize size(qRound(sceneRect().width() * scale), qRound(sceneRect().height() * scale));
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(boardPaperColor());
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    render(&painter, QRectF(QPointF(0, 0), size), sceneRect(), Qt::IgnoreAspectRatio);
    painter.end();
    return image;
}

} // namespace chalk::ui
