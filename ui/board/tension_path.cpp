#include "tension_path.h"

#include <cmath>

namespace chalk::ui {

namespace {
QRectF boundsOf(std::initializer_list<QPointF> pts)
{
    double x0 = pts.begin()->x(), x1 = x0, y0 = pts.begin()->y(), y1 = y0;
    for (const QPointF &p : pts) {
        x0 = std::min(x0, p.x());
        x1 = std::max(x1, p.x());
        y0 = std::min(y0, p.y());
        y1 = std::max(y1, p.y());
    }
    return QRectF(QPointF(x0, y0), QPointF(x1, y1));
}

// A quadratic Bezier from a to b with control q, as the exact cubic's two controls.
std::pair<QPointF, QPointF> quadAsCubic(QPointF a, QPointF q, QPointF b)
{
    return {a + (q - a) * (2.0 / 3.0), b + (q - b) * (2.0 / 3.0)};
}
} // namespace

std::pair<QPointF, QPointF> TensionPath::controlPoints(QPointF p0, QPointF p1, QPointF p2, double t)
{
    const double d01 = std::hypot(p1.x() - p0.x(), p1.y() - p0.y());
    const double d12 = std::hypot(p2.x() - p1.x(), p2.y() - p1.y());
    const double sum = d01 + d12;
    const double fa = sum > 0 ? t * d01 / sum : 0;
    const double fb = sum > 0 ? t * d12 / sum : 0;
    const QPointF d = p2 - p0;
    return {p1 - fa * d, p1 + fb * d};
}

void TensionPath::clear()
{
    m_points.clear();
    m_path = QPainterPath();
}

std::optional<QRectF> TensionPath::append(QPointF p)
{
    if (!m_points.isEmpty() && m_points.constLast() == p)
        return std::nullopt;
    m_points.append(p);
    const qsizetype n = m_points.size();
    if (n == 1) {
        m_path = QPainterPath(p);
        return QRectF(p, p);
    }
    if (n == 2) {
        // Two points: Konva draws a straight line; stored as a cubic to be bent later.
        const QPointF a = m_points[0];
        m_path.cubicTo(a + (p - a) / 3.0, a + (p - a) * (2.0 / 3.0), p);
        return boundsOf({a, p});
    }
    const QPointF a = m_points[n - 3], b = m_points[n - 2], c = p;
    const auto [before, after] = controlPoints(a, b, c, m_tension);
    // Segment a -> b (index n-3) takes its final shape now that b's controls are known.
    const int seg = int(n - 3);
    std::pair<QPointF, QPointF> ctl =
        seg == 0 ? quadAsCubic(a, before, b) : std::pair<QPointF, QPointF>{m_lastAfter, before};
    m_path.setElementPositionAt(1 + 3 * seg, ctl.first.x(), ctl.first.y());
    m_path.setElementPositionAt(2 + 3 * seg, ctl.second.x(), ctl.second.y());
    // The new last segment b -> c is a quad with the control after b.
    const auto [c1, c2] = quadAsCubic(b, after, c);
    m_path.cubicTo(c1, c2, c);
    m_lastAfter = after;
    return boundsOf({a, ctl.first, ctl.second, b, c1, c2, c});
}

} // namespace chalk::ui
