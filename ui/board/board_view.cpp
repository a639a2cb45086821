#include "board_view.h"

#include "board/board_model.h"
#include "board_scene.h"

#include <QMouseEvent>
#include <QScrollBar>
#include <QWheelEvent>
#include <cmath>

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

void BoardView::applyTransform()
{
    resetTransform();
    fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
    scale(m_zoom, m_zoom);
    // The scene bakes its layer at the scale this view shows it (devicePixelRatio included).
    m_scene->requestLayerScale(transform().m11() * devicePixelRatioF());
}

void BoardView::setZoom(double zoom, std::optional<QPointF> anchor)
{
    zoom = std::clamp(zoom, 1.0, maxZoom());
    const QPointF at = anchor.value_or(QRectF(viewport()->rect()).center());
    const QPointF canvasAt = viewportTransform().inverted().map(at);
    const bool changed = std::abs(zoom - m_zoom) > 1e-9;
    m_zoom = zoom;
    applyTransform();
    // Scroll so that the same canvas point is under `at` again (clamped at the board's edges).
    const QPointF drift = viewportTransform().map(canvasAt) - at;
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() + qRound(drift.x()));
    verticalScrollBar()->setValue(verticalScrollBar()->value() + qRound(drift.y()));
    if (changed)
        emit zoomChanged(m_zoom);
}

void BoardView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    setZoom(m_zoom);
}

void BoardView::showEvent(QShowEvent *event)
{
    QGraphicsView::showEvent(event);
    setZoom(m_zoom);
}

void BoardView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        // One notch (120) is one step; a touchpad's small deltas zoom smoothly.
        const double notches = event->angleDelta().y() / 120.0;
        if (notches != 0)
            setZoom(m_zoom * std::pow(kZoomStep, notches), event->position());
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event); // scrolls (pans) when zoomed in; Shift for sideways
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
    if (event->button() == Qt::MiddleButton && !m_drawing) {
        m_panFrom = event->position();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
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
    if (m_panFrom) {
        const QPointF moved = event->position() - *m_panFrom;
        m_panFrom = event->position();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - qRound(moved.x()));
        verticalScrollBar()->setValue(verticalScrollBar()->value() - qRound(moved.y()));
        event->accept();
        return;
    }
    if (!m_drawing) {
        QGraphicsView::mouseMoveEvent(event);
        return;
    }
    m_scene->model()->extendStroke(canvasPoint(event->position()));
    event->accept();
}

void BoardView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panFrom && event->button() == Qt::MiddleButton) {
        m_panFrom.reset();
        viewport()->unsetCursor(); // the view's cross again
        event->accept();
        return;
    }
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
