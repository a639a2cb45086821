// What the board needs from the network, and nothing more: the model and the stroke sender
// are tested against a recording implementation, the app uses ChatBoardLink (a ChatClient).
#pragma once

#include "protocol/objects.h"

namespace chalk::board {

class DrawTransport {
public:
    virtual ~DrawTransport() = default;
    // change_draw_line; with append the points are added to the stored line (ours).
    virtual void sendLine(const protocol::Line &line, bool append) = 0;
    // The stroke is finished: its whole line, which must reach the server even across a
    // reconnect (ChatBoardLink queues it in the client's outbox).
    virtual void finishLine(const protocol::Line &line) { sendLine(line, false); }
    virtual void removeLine(const QString &uuid) = 0; // remove_draw_line (ours)
    virtual void resetDrawing() = 0;                  // reset_drawing
    virtual void requestDrawing() = 0;                // get_drawing
};

} // namespace chalk::board
