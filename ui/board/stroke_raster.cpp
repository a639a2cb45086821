#include "stroke_raster.h"

#include "board/board_canvas.h"
#include "tension_path.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>

// For the per-row span lambda of capsule(), called twice a row for every segment: inlined it
// paints as fast as two written-out copies did; as a call, ~25% slower (6 000 random strokes
// painted with StrokeRaster, same pixels either way).
#if defined(__GNUC__)
#define CHALK_INLINE_LAMBDA __attribute__((always_inline))
#else
#define CHALK_INLINE_LAMBDA
#endif

namespace chalk::ui {

namespace {

constexpr double kFlatness = 0.2; // device pixels a flattened curve may stray from the curve

// x * a / 255 per channel, rounded (a 0..255): Qt's BYTE_MUL.
inline uint byteMul(uint x, uint a)
{
    uint t = (x & 0xff00ff) * a;
    t = (t + ((t >> 8) & 0xff00ff) + 0x800080) >> 8;
    t &= 0xff00ff;
    x = ((x >> 8) & 0xff00ff) * a;
    x = (x + ((x >> 8) & 0xff00ff) + 0x800080);
    x &= 0xff00ff00;
    return x | t;
}

// TensionPath::controlPoints (Konva's formula) with sqrt rather than the slower std::hypot.
std::pair<QPointF, QPointF> controlPoints(QPointF p0, QPointF p1, QPointF p2)
{
    const auto dist = [](QPointF a, QPointF b) {
        const double x = b.x() - a.x(), y = b.y() - a.y();
        return std::sqrt(x * x + y * y);
    };
    const double d01 = dist(p0, p1), d12 = dist(p1, p2);
    const double sum = d01 + d12;
    const double fa = sum > 0 ? board::kTension * d01 / sum : 0;
    const double fb = sum > 0 ? board::kTension * d12 / sum : 0;
    const QPointF d = p2 - p0;
    return {p1 - fa * d, p1 + fb * d};
}

} // namespace

StrokeRaster::StrokeRaster(QImage *image, double scale, int top, int height)
    : m_image(image)
    , m_scale(scale)
    , m_top(std::clamp(top, 0, image->height()))
    , m_bottom(height < 0 ? image->height() : std::clamp(top + height, m_top, image->height()))
    , m_width(image->width())
    , m_bits(image->bits()) // detaches here, once: band threads then only write their rows
    , m_bytesPerLine(image->bytesPerLine())
{
    const int rows = m_bottom - m_top;
    m_mask.assign(size_t(m_width) * size_t(rows), 0);
    m_rowMin.assign(size_t(rows), INT_MAX);
    m_rowMax.assign(size_t(rows), -1);
}

QRect StrokeRaster::paint(const QList<double> &xy, const QColor &color, double width)
{
    m_points.clear();
    for (qsizetype i = 0; i + 1 < xy.size(); i += 2) {
        const QPointF p(xy[i] * m_scale, xy[i + 1] * m_scale);
        if (m_points.empty() || m_points.back() != p)
            m_points.push_back(p);
    }
    return paintDevicePoints(color, width);
}

QRect StrokeRaster::paint(const QList<QPointF> &points, const QColor &color, double width)
{
    m_points.clear();
    for (const QPointF &q : points) {
        const QPointF p = q * m_scale;
        if (m_points.empty() || m_points.back() != p)
            m_points.push_back(p);
    }
    return paintDevicePoints(color, width);
}

QRect StrokeRaster::paintDevicePoints(const QColor &color, double width)
{
    if (m_points.empty() || m_top >= m_bottom || color.alpha() == 0)
        return {};
    const double r = width * m_scale / 2;
    // Most strokes touch one band of the layer: skip the others before flattening. The curve
    // strays from its points by less than the longest step (the controls do).
    double minY = m_points.front().y(), maxY = minY, step2 = 0;
    for (size_t i = 1; i < m_points.size(); ++i) {
        const QPointF d = m_points[i] - m_points[i - 1];
        step2 = std::max(step2, QPointF::dotProduct(d, d));
        minY = std::min(minY, m_points[i].y());
        maxY = std::max(maxY, m_points[i].y());
    }
    const double slack = r + 1 + std::sqrt(step2);
    if (maxY + slack < m_top || minY - slack > m_bottom)
        return {};
    flatten();
    double x0 = m_polyline.front().x(), x1 = x0, y0 = m_polyline.front().y(), y1 = y0;
    for (const QPointF &p : m_polyline) {
        x0 = std::min(x0, p.x());
        x1 = std::max(x1, p.x());
        y0 = std::min(y0, p.y());
        y1 = std::max(y1, p.y());
    }
    if (y1 + r + 1 < m_top || y0 - r - 1 > m_bottom || x1 + r + 1 < 0 || x0 - r - 1 > m_width)
        return {}; // not in this band
    // Each joint's circle is the next segment's start circle: drawn once, not twice.
    const size_t last = m_polyline.size() - 1;
    if (last == 0)
        capsule(m_polyline.front(), m_polyline.front(), r, true);
    for (size_t i = 1; i <= last; ++i)
        capsule(m_polyline[i - 1], m_polyline[i], r, i == last);
    return composite(qPremultiply(color.rgba()));
}

void StrokeRaster::flatten()
{
    // The curve TensionPath builds (Konva's tension): a quad into p1, cubics through the inner
    // points, a quad out of p[n-2]; each piece cut into as few lines as kFlatness allows.
    m_polyline.clear();
    const size_t n = m_points.size();
    m_polyline.push_back(m_points[0]);
    if (n < 3) {
        if (n == 2)
            m_polyline.push_back(m_points[1]);
        return;
    }
    const auto cubic = [this](QPointF a, QPointF c1, QPointF c2, QPointF b) {
        // How far the controls stray from the chord bounds how far the curve does.
        const QPointF d = b - a;
        const double len = std::sqrt(d.x() * d.x() + d.y() * d.y());
        double dev;
        if (len > 1e-9) {
            const auto off = [&](QPointF c) {
                return std::abs((c.x() - a.x()) * d.y() - (c.y() - a.y()) * d.x()) / len;
            };
            dev = std::max(off(c1), off(c2));
        } else {
            const QPointF e1 = c1 - a, e2 = c2 - a;
            dev = std::sqrt(std::max(QPointF::dotProduct(e1, e1), QPointF::dotProduct(e2, e2)));
        }
        const int pieces =
            dev <= kFlatness ? 1 : std::min(64, int(std::ceil(std::sqrt(dev / kFlatness))));
        for (int k = 1; k < pieces; ++k) {
            const double t = double(k) / pieces, u = 1 - t;
            m_polyline.push_back(a * (u * u * u) + c1 * (3 * u * u * t) + c2 * (3 * u * t * t) +
                                 b * (t * t * t));
        }
        m_polyline.push_back(b);
    };
    const auto quadAsCubic = [&](QPointF a, QPointF q, QPointF b) {
        cubic(a, a + (q - a) * (2.0 / 3.0), b + (q - b) * (2.0 / 3.0), b);
    };
    auto [before, after] = controlPoints(m_points[0], m_points[1], m_points[2]);
    quadAsCubic(m_points[0], before, m_points[1]);
    for (size_t i = 1; i + 2 < n; ++i) {
        const auto [nextBefore, nextAfter] =
            controlPoints(m_points[i], m_points[i + 1], m_points[i + 2]);
        cubic(m_points[i], after, nextBefore, m_points[i + 1]);
        after = nextAfter;
    }
    quadAsCubic(m_points[n - 2], after, m_points[n - 1]);
    simplify();
}

void StrokeRaster::simplify()
{
    // Hand-drawn points come every few pixels along a gentle curve; a chord that stays within
    // kFlatness of the points it skips draws the same pixels with fewer segments.
    if (m_polyline.size() < 3)
        return;
    size_t out = 1, anchor = 0;
    for (size_t j = 2; j < m_polyline.size(); ++j) {
        const QPointF a = m_polyline[anchor], b = m_polyline[j];
        const QPointF d = b - a;
        const double len = std::sqrt(d.x() * d.x() + d.y() * d.y());
        bool fits = len > 1e-9;
        for (size_t k = anchor + 1; fits && k < j; ++k) {
            const QPointF p = m_polyline[k] - a;
            const double along = p.x() * d.x() + p.y() * d.y();
            fits = along >= 0 && along <= len * len &&
                   std::abs(p.x() * d.y() - p.y() * d.x()) <= kFlatness * len;
        }
        if (!fits) {
            anchor = j - 1;
            m_polyline[out++] = m_polyline[anchor];
        }
    }
    m_polyline[out++] = m_polyline.back();
    m_polyline.resize(out);
}

void StrokeRaster::capsule(QPointF a, QPointF b, double r, bool endCircle)
{
    // Per row: the span of the capsule grown by half a pixel (pixels partly covered) and of
    // the capsule shrunk by half a pixel (pixels fully covered). A capsule is convex: each is
    // the union of its end circles' chords and the middle band's part, the band being the
    // x where 0 <= (p - a).d <= |d|^2 (slab s) and |(p - a) x d| <= r|d| (slab t).
    constexpr double inf = std::numeric_limits<double>::infinity();
    const double outer = r + 0.5, inner = r - 0.5;
    const double ax = a.x(), ay = a.y(), bx = b.x(), by = b.y();
    const double dx = bx - ax, dy = by - ay;
    const double len2 = dx * dx + dy * dy;
    const double len = std::sqrt(len2);
    const double invLen2 = len2 > 0 ? 1 / len2 : 0;
    const bool band = len2 > 1e-12;
    const bool sFlat = std::abs(dx) < 1e-12, tFlat = std::abs(dy) < 1e-12;
    const double sK = sFlat ? 0 : dy / dx, sW = sFlat ? 0 : len2 / dx;
    const double tK = tFlat ? 0 : dx / dy;
    const double tOut = tFlat ? 0 : std::abs(outer * len / dy),
                 tIn = tFlat ? 0 : std::abs(inner * len / dy);

    const int rowFrom = std::max(m_top, int(std::floor(std::min(ay, by) - outer)));
    const int rowTo = std::min(m_bottom - 1, int(std::ceil(std::max(ay, by) + outer)));
    for (int y = rowFrom; y <= rowTo; ++y) {
        const double yc = y + 0.5;
        const double ry = yc - ay, ryb = yc - by;
        // This row's part of the band's slab s: [s0, s1], nothing when !sOk.
        double s0 = -inf, s1 = inf;
        bool sOk = band;
        if (band) {
            if (sFlat) {
                sOk = ry * dy >= 0 && ry * dy <= len2;
            } else {
                s0 = ax - ry * sK;
                s1 = s0 + sW;
                if (s0 > s1)
                    std::swap(s0, s1);
            }
        }
        const double across = std::abs(ry * dx); // when the segment is horizontal
        const double tc = tFlat ? 0 : ax + ry * tK;
        // Grows [lo, hi] by this row's span of the capsule of radius rad (tHalf: the half
        // width of its slab t): the chords of its end circles and its part of the band.
        const auto addSpan = [&](double rad, double tHalf, double &lo,
                                 double &hi) CHALK_INLINE_LAMBDA {
            const double ha = rad * rad - ry * ry, hb = rad * rad - ryb * ryb;
            if (ha >= 0) {
                const double sq = std::sqrt(ha);
                lo = std::min(lo, ax - sq);
                hi = std::max(hi, ax + sq);
            }
            if (endCircle && hb >= 0) {
                const double sq = std::sqrt(hb);
                lo = std::min(lo, bx - sq);
                hi = std::max(hi, bx + sq);
            }
            if (sOk && (tFlat ? across <= rad * len : true)) {
                const double m0 = std::max(s0, tFlat ? -inf : tc - tHalf);
                const double m1 = std::min(s1, tFlat ? inf : tc + tHalf);
                if (m0 <= m1) {
                    lo = std::min(lo, m0);
                    hi = std::max(hi, m1);
                }
            }
        };
        double lo = inf, hi = -inf, ilo = inf, ihi = -inf;
        addSpan(outer, tOut, lo, hi);
        if (inner > 0)
            addSpan(inner, tIn, ilo, ihi);
        if (lo > hi)
            continue;
        const int x0 = std::max(0, int(std::ceil(lo - 0.5)));
        const int x1 = std::min(m_width - 1, int(std::floor(hi - 0.5)));
        if (x0 > x1)
            continue;
        int f0 = x1 + 1, f1 = x1;
        if (ilo <= ihi) {
            f0 = std::max(x0, int(std::ceil(ilo - 0.5)));
            f1 = std::min(x1, int(std::floor(ihi - 0.5)));
            if (f0 > f1) {
                f0 = x1 + 1;
                f1 = x1;
            }
        }
        const int row = y - m_top;
        uchar *mask = m_mask.data() + size_t(row) * size_t(m_width);
        const auto edge = [&](int from, int to) {
            for (int x = from; x <= to; ++x) {
                if (mask[x] == 255)
                    continue; // inside a neighbouring segment already: most edge pixels are
                const double px = x + 0.5 - ax;
                const double t = std::clamp((px * dx + ry * dy) * invLen2, 0.0, 1.0);
                const double ex = px - t * dx, ey = ry - t * dy;
                const double c = outer - std::sqrt(ex * ex + ey * ey);
                if (c <= 0)
                    continue;
                const int v = c >= 1 ? 255 : int(c * 255 + 0.5);
                if (v > mask[x])
                    mask[x] = uchar(v);
            }
        };
        if (f0 <= f1) {
            edge(x0, f0 - 1);
            std::memset(mask + f0, 255, size_t(f1 - f0 + 1));
            edge(f1 + 1, x1);
        } else {
            edge(x0, x1);
        }
        m_rowMin[row] = std::min(m_rowMin[row], x0);
        m_rowMax[row] = std::max(m_rowMax[row], x1);
        if (m_touchTop > m_touchBottom) {
            m_touchTop = m_touchBottom = row;
        } else {
            m_touchTop = std::min(m_touchTop, row);
            m_touchBottom = std::max(m_touchBottom, row);
        }
    }
}

QRect StrokeRaster::composite(QRgb color)
{
    if (m_touchTop > m_touchBottom)
        return {};
    const uint alpha = qAlpha(color);
    int left = INT_MAX, right = -1;
    for (int row = m_touchTop; row <= m_touchBottom; ++row) {
        const int from = m_rowMin[row], to = m_rowMax[row];
        if (from > to)
            continue;
        left = std::min(left, from);
        right = std::max(right, to);
        uchar *mask = m_mask.data() + size_t(row) * size_t(m_width);
        auto *dst = reinterpret_cast<QRgb *>(m_bits + qsizetype(row + m_top) * m_bytesPerLine);
        for (int x = from; x <= to; ++x) {
            if (x + 8 <= to) { // long runs of nothing between the parts of a curling stroke
                quint64 eight;
                std::memcpy(&eight, mask + x, 8);
                if (!eight) {
                    x += 7;
                    continue;
                }
            }
            const uint a = mask[x];
            if (!a)
                continue;
            mask[x] = 0;
            const uint s = a == 255 ? color : byteMul(color, a);
            const uint sa = a == 255 ? alpha : qAlpha(s);
            dst[x] = sa == 255 ? s : s + byteMul(dst[x], 255 - sa);
        }
        m_rowMin[row] = INT_MAX;
        m_rowMax[row] = -1;
    }
    const QRect touched(QPoint(left, m_touchTop + m_top), QPoint(right, m_touchBottom + m_top));
    m_touchTop = 0;
    m_touchBottom = -1;
    return touched;
}

} // namespace chalk::ui
