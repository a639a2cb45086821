// The random 10 000-stroke board the JSON benchmarks encode and decode (line_json_bench,
// json_library_bench): strokes of 20-200 numbers walking over a 640x480 board, seeded, so
// every run and every benchmark sees the same lines.
#pragma once

#include "protocol/objects.h"

#include <QRandomGenerator>
#include <algorithm>
#include <cmath>

namespace chalk::bench {

// How the points are written: one decimal (what clients send), 1 point in 17 a raw double,
// or every point a raw double (the worst case for a number writer or reader).
enum class Points { OneDecimal, Mixed, Raw };

// Strokes of 20-200 points (10-100 x,y pairs) walking over a 640x480 board, as board_join_bench.
inline QList<protocol::Line> makeLines(int count, Points kind, qint64 *points)
{
    QRandomGenerator rng(42);
    QList<protocol::Line> lines;
    lines.reserve(count);
    *points = 0;
    for (int i = 0; i < count; ++i) {
        protocol::Line l;
        l.uuid = protocol::newUuid();
        l.tool = i % 10 == 0 ? QStringLiteral("eraser") : QStringLiteral("pen");
        l.color = i % 3 == 0 ? QStringLiteral("#000000") : QStringLiteral("#e02d25");
        l.width = i % 4 == 0 ? 0 : 1 + rng.bounded(12);
        l.userUuid = protocol::newUuid();
        const int n = 10 + int(rng.bounded(91));
        double x = rng.bounded(640), y = rng.bounded(480), heading = rng.generateDouble() * 6.28;
        for (int k = 0; k < n; ++k) {
            heading += (rng.generateDouble() - 0.5) * 0.3;
            x = std::clamp(x + 4 * std::cos(heading), 0.0, 640.0);
            y = std::clamp(y + 4 * std::sin(heading), 0.0, 480.0);
            const bool raw = kind == Points::Raw || (kind == Points::Mixed && k % 17 == 0);
            if (raw)
                l.points << x << y;
            else
                l.points << std::round(x * 10) / 10 << std::round(y * 10) / 10;
        }
        *points += l.points.size();
        lines.append(l);
    }
    return lines;
}

} // namespace chalk::bench
