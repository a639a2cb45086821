// One stroke on the board. A QGraphicsItem of its own rather than a QGraphicsPathItem:
// QGraphicsPathItem::path() hands out a copy and its boundingRect() strokes the WHOLE path
// (QPainterPathStroker) after every setPath, so growing a live stroke through it costs a
// full copy plus a full stroke outline per point (bench/board_bench measures both). Here the
// path grows in place (TensionPath) and the bounding rect grows with the new segment only.
#pragma once

#include "protocol/objects.h"
#include "tension_path.h"

#include <QGraphicsItem>
#include <QPen>

namespace chalk::ui {

class StrokeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 0x0b0a };

    explicit StrokeItem(const protocol::Line &line, QGraphicsItem *parent = nullptr);

    // The colour a line is painted in: paper for the eraser; unreadable colours as the
    // original's default ink.
    static QColor colorFor(const protocol::Line &line);

    QString uuid() const { return m_uuid; }
    // Colour, tool and width of the line (cheap when unchanged).
    void setStyle(const protocol::Line &line);
    // Points [x,y,...]: from firstChangedPoint on they are new. Appends in place when the
    // points before are the ones already drawn, else rebuilds.
    void setPoints(const QList<double> &xy, int firstChangedPoint = 0);

    const QPainterPath &path() const { return m_path.path(); }
    qsizetype pointCount() const { return m_path.pointCount(); }
    const QList<QPointF> &points() const { return m_path.points(); }
    bool isEraser() const { return m_eraser; }
    // When the stroke last changed (the scene's clock): settled strokes go into its layer.
    qint64 changedAt() const { return m_changedAt; }
    void setChangedAt(qint64 ms) { m_changedAt = ms; }
    QPen pen() const { return m_pen; }

    int type() const override { return Type; }
    QRectF boundingRect() const override { return m_boundingRect; }
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    void grow(const QRectF &changed, bool live);

    QString m_uuid;
    TensionPath m_path;
    QPen m_pen;
    bool m_eraser = false;
    qint64 m_changedAt = 0;
    int m_consumed = 0;    // input points taken (repeated points included)
    QRectF m_controlRect;  // control-point bounds of the path
    QRectF m_boundingRect; // m_controlRect + half the pen, with slack while growing
};

} // namespace chalk::ui
