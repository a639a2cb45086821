// Paints strokes into the board's raster layer, fast: round caps and joins, antialiased, the
// original's tension curve, each stroke's coverage composited ONCE (translucent ink is not
// darker where the stroke overlaps itself, as with QPainter).
//
// Why not QPainter: stroking 10 000 antialiased 20..200-point strokes costs 3-5 s with
// QPainter's stroker and rasterizer on this machine (bench/board_join_bench), which is what
// kept a late joiner waiting. A round-joined stroke is exactly the union of round-capped
// segments ("capsules"), and a capsule cut by a pixel row is one interval: inside the inner
// interval a pixel is fully covered (a memset), only the few pixels at its two ends need a
// distance. Coverage is collected per stroke in an 8-bit mask (max, not sum), then blended.
#pragma once

#include <QColor>
#include <QImage>
#include <QList>
#include <QPointF>
#include <QRect>
#include <vector>

namespace chalk::ui {

class StrokeRaster {
public:
    // Paints into rows [top, top + height) of `image` (Format_ARGB32_Premultiplied) at `scale`
    // pixels per logical unit; height < 0: to the bottom. Rasters of disjoint row bands of
    // one image may paint on different threads once constructed (construct them on one).
    StrokeRaster(QImage *image, double scale, int top = 0, int height = -1);

    // One stroke: x,y pairs in logical units (consecutive repeats are ignored), its colour
    // (any alpha) and full width in logical units. Returns the pixels touched (image coords).
    QRect paint(const QList<double> &xy, const QColor &color, double width);
    QRect paint(const QList<QPointF> &points, const QColor &color, double width);

private:
    QRect paintDevicePoints(const QColor &color, double width);
    void flatten();
    void simplify();
    void capsule(QPointF a, QPointF b, double r, bool endCircle);
    QRect composite(QRgb premultiplied);

    QImage *m_image;
    double m_scale;
    int m_top, m_bottom, m_width;
    uchar *m_bits;
    qsizetype m_bytesPerLine;
    std::vector<QPointF> m_points;   // device coordinates, distinct consecutive points
    std::vector<QPointF> m_polyline; // the flattened curve
    std::vector<uchar> m_mask;       // coverage of the current stroke, band-sized
    std::vector<int> m_rowMin, m_rowMax;
    int m_touchTop = 0, m_touchBottom = -1; // rows (band-local) touched by this stroke
};

} // namespace chalk::ui
