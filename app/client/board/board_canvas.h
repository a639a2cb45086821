// The board's fixed logical canvas and the drawing defaults every client agrees on.
// Wire coordinates ARE canvas coordinates: the canvas is the original socket_chat front end's
// 640x480 stage, so its lines and ours land on the same spot in both programs (docs/BOARD.md).
#pragma once

#include "protocol/objects.h"

#include <QLatin1String>
#include <QString>

namespace chalk::board {

inline constexpr double kCanvasWidth = 640;
inline constexpr double kCanvasHeight = 480;

// The original's Konva Line: tension 0.5, pen 5 units, eraser 50 units (it sent no width).
inline constexpr double kTension = 0.5;
inline constexpr double kDefaultPenWidth = 5;
inline constexpr double kDefaultEraserWidth = 50;

// Points are sent with one decimal: sub-pixel at any sane zoom, and a full 2000-point line
// stays far below the 64 KiB statement limit (doubles printed in full would not).
inline constexpr double kCoordinateStep = 0.1;

inline QLatin1String penTool()
{
    return QLatin1String("pen");
}
inline QLatin1String eraserTool()
{
    return QLatin1String("eraser");
}

inline bool isEraser(const protocol::Line &line)
{
    return line.tool == eraserTool();
}

// The width a line is drawn with: its own, or the original's default for its tool.
inline double effectiveWidth(const protocol::Line &line)
{
    if (line.width > 0)
        return line.width;
    return isEraser(line) ? kDefaultEraserWidth : kDefaultPenWidth;
}

} // namespace chalk::board
