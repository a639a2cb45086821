// The original front end's smoothing (Konva Line, tension 0.5) as a QPainterPath that grows
// in place: appending a point touches only the last segment, never the rest of the path.
//
// Konva draws p0..pn-1 as: quad(p0 -> p1, control before p1), cubic segments through the
// inner points (controls from getControlPoints), quad(control after pn-2 -> pn-1). Here every
// segment is stored as a cubic (a quad is an exact cubic), so when the next point arrives the
// previous "last" segment is turned into its final shape by moving its two control elements
// (QPainterPath::setElementPositionAt), and one new segment is appended.
#pragma once

#include <QList>
#include <QPainterPath>
#include <QPointF>
#include <QRectF>
#include <optional>
#include <utility>

namespace chalk::ui {

class TensionPath {
public:
    explicit TensionPath(double tension = 0.5)
        : m_tension(tension)
    {}

    void clear();
    // Adds a point; returns the control-point bounds of the part of the path that changed
    // (possibly of zero size), or nothing for a repeated point, which adds nothing.
    std::optional<QRectF> append(QPointF point);

    const QPainterPath &path() const { return m_path; }
    qsizetype pointCount() const { return m_points.size(); }
    const QList<QPointF> &points() const { return m_points; }

    // Control points before and after p1 for the neighbours p0 and p2 (Konva's formula).
    static std::pair<QPointF, QPointF> controlPoints(QPointF p0, QPointF p1, QPointF p2,
                                                     double tension);

private:
    double m_tension;
    QList<QPointF> m_points; // distinct consecutive points
    QPainterPath m_path;
    QPointF m_lastAfter; // control after the second-to-last point
};

} // namespace chalk::ui
