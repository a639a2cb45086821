#include "stroke_item.h"

#include "board/board_canvas.h"
#include "board_colors.h"

#include <QPainter>
#include <QPainterPathStroker>

namespace chalk::ui {

namespace {
// QRectF::united ignores zero-size rects (a dot, a straight horizontal segment): not here.
QRectF unite(const QRectF &a, const QRectF &b)
{
    return QRectF(QPointF(std::min(a.left(), b.left()), std::min(a.top(), b.top())),
                  QPointF(std::max(a.right(), b.right()), std::max(a.bottom(), b.bottom())));
}

// While a stroke grows its bounding rect is padded by this much (logical units), so most new
// points fall inside it: no prepareGeometryChange (re-index, full repaint) per point.
constexpr double kGrowSlack = 32;
} // namespace

StrokeItem::StrokeItem(const protocol::Line &line, QGraphicsItem *parent)
    : QGraphicsItem(parent)
    , m_uuid(line.uuid)
    , m_path(board::kTension)
{
    m_pen.setCapStyle(Qt::RoundCap);
    m_pen.setJoinStyle(Qt::RoundJoin);
    setStyle(line);
    setPoints(line.points, 0);
}

QColor StrokeItem::colorFor(const protocol::Line &line)
{
    if (board::isEraser(line))
        return boardPaperColor();
    const QColor color = colorFromHex(line.color);
    return color.isValid() ? color : QColor(0, 0, 0, 0xcc);
}

void StrokeItem::setStyle(const protocol::Line &line)
{
    const bool eraser = board::isEraser(line);
    const QColor color = colorFor(line);
    const double width = board::effectiveWidth(line);
    if (eraser == m_eraser && color == m_pen.color() && width == m_pen.widthF())
        return;
    const bool wider = width > m_pen.widthF();
    if (wider)
        prepareGeometryChange();
    m_eraser = eraser;
    m_pen.setColor(color);
    m_pen.setWidthF(width);
    if (wider && m_path.pointCount() > 0)
        m_boundingRect =
            m_controlRect.adjusted(-width / 2 - 1, -width / 2 - 1, width / 2 + 1, width / 2 + 1);
    update();
}

void StrokeItem::setPoints(const QList<double> &xy, int firstChangedPoint)
{
    const int n = int(xy.size() / 2);
    const bool append = firstChangedPoint >= m_consumed && m_consumed > 0 && n >= m_consumed;
    if (!append) {
        m_path.clear();
        m_consumed = 0;
        m_controlRect = QRectF();
    }
    QRectF changed;
    bool any = false;
    for (int i = m_consumed; i < n; ++i) {
        if (const auto r = m_path.append(QPointF(xy[2 * i], xy[2 * i + 1]))) {
            changed = any ? unite(changed, *r) : *r;
            any = true;
        }
    }
    m_consumed = n;
    if (!append) {
        prepareGeometryChange();
        m_controlRect = changed;
        const double h = m_pen.widthF() / 2 + 1;
        m_boundingRect = any ? changed.adjusted(-h, -h, h, h) : QRectF();
        update();
        return;
    }
    if (any)
        grow(changed, true);
}

void StrokeItem::grow(const QRectF &changed, bool live)
{
    m_controlRect = unite(m_controlRect, changed);
    const double h = m_pen.widthF() / 2 + 1;
    const QRectF needed = m_controlRect.adjusted(-h, -h, h, h);
    if (!m_boundingRect.contains(needed)) {
        prepareGeometryChange(); // repaints the whole item once
        const double s = live ? kGrowSlack : 0;
        m_boundingRect = needed.adjusted(-s, -s, s, s);
        return;
    }
    // Only the new segment needs painting.
    update(changed.adjusted(-h, -h, h, h));
}

QPainterPath StrokeItem::shape() const
{
    // Only for hit tests (items at a point), which the board rarely asks for.
    QPainterPathStroker stroker(m_pen);
    if (m_path.pointCount() == 1) {
        QPainterPath dot;
        const double r = m_pen.widthF() / 2;
        dot.addEllipse(m_path.points().constFirst(), r, r);
        return dot;
    }
    return stroker.createStroke(m_path.path());
}

void StrokeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    if (m_path.pointCount() == 0)
        return;
    painter->setPen(m_pen);
    painter->setBrush(Qt::NoBrush);
    if (m_path.pointCount() == 1)
        painter->drawPoint(m_path.points().constFirst()); // a click leaves a round dot
    else
        painter->drawPath(m_path.path());
}

} // namespace chalk::ui
