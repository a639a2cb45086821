#include "board_view.h"

#include "board/board_model.h"
#include "board_scene.h"

#include <QMouseEvent>

namespace chalk::ui {

BoardView::BoardView(BoardScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
{
    setRenderHint(QPainter::Antialiasing);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::NoFrame);
    // Strokes set their own pen and brush and pad their bounding rects for antialiasing:
    // skip the per-item save/restore and the extra 2-pixel adjustment.
    setOptimizationFlags(DontSavePainterState | DontAdjustForAntialiasing);
    setViewportUpdateMode(MinimalViewportUpdate);
    setCacheMode(CacheBackground);
    setCursor(Qt::CrossCursor);
    setMouseTracking(false);
}

void BoardView::fit()
{
    fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
    // The scene bakes its layer at the scale this view shows it (devicePixelRatio included).
    m_scene->requestLayerScale(transform().m11() * devicePixelRatioF());
}

void BoardView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    fit();
}

void BoardView::showEvent(QShowEvent *event)
{
    QGraphicsView::showEvent(event);
    fit();
}

QPointF BoardView::canvasPoint(QPointF viewportPos) const
{
    // Sub-pixel exact (mapToScene(QPoint) would round to whole viewport pixels).
    const QPointF p = viewportTransform().inverted().map(viewportPos);
    const QRectF r = m_scene->sceneRect();
    return QPointF(std::clamp(p.x(), r.left(), r.right()), std::clamp(p.y(), r.top(), r.bottom()));
}

void BoardView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_scene->model()) {
        QGraphicsView::mousePressEvent(event);
        return;
    }
    m_drawing = true;
    m_scene->model()->beginStroke(m_tool, m_color, m_width);
    m_scene->model()->extendStroke(canvasPoint(event->position()));
    event->accept();
}

void BoardView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_drawing) {
        QGraphicsView::mouseMoveEvent(event);
        return;
    }
    m_scene->model()->extendStroke(canvasPoint(event->position()));
    event->accept();
}

void BoardView::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_drawing || event->button() != Qt::LeftButton) {
        QGraphicsView::mouseReleaseEvent(event);
        return;
    }
    m_drawing = false;
    m_scene->model()->extendStroke(canvasPoint(event->position()));
    m_scene->model()->endStroke();
    event->accept();
}

} // namespace chalk::ui
