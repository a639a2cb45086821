// What one connection has used of its allowances: its rate buckets (ServerOptions::
// messageRate, callRate for statements; frameRate, pingRate for every WebSocket frame) and the
// rate_limited refusals of its current abuse window.
// ConnectionPolicy decides with it; Session only carries it.
#pragma once

#include "token_bucket.h"

namespace chalk::server {

class PeerAllowance {
public:
    PeerAllowance() = default;
    PeerAllowance(TokenBucket messages, TokenBucket calls, TokenBucket frames = {},
                  TokenBucket pings = {})
        : m_messages(messages)
        , m_calls(calls)
        , m_frames(frames)
        , m_pings(pings)
    {}

    bool takeMessage(qint64 nowMs) { return m_messages.take(nowMs); }
    bool takeCall(qint64 nowMs) { return m_calls.take(nowMs); }
    bool takeFrame(qint64 nowMs) { return m_frames.take(nowMs); }
    bool takePing(qint64 nowMs) { return m_pings.take(nowMs); }

    // Counts one refusal at `nowMs`; a window older than `windowMs` starts again. Returns the
    // refusals in the current window.
    int noteRefusal(qint64 nowMs, int windowMs)
    {
        if (m_windowStartMs < 0 || nowMs - m_windowStartMs > windowMs) {
            m_windowStartMs = nowMs;
            m_refusals = 0;
        }
        return ++m_refusals;
    }

private:
    TokenBucket m_messages; // create_message
    TokenBucket m_calls;    // every statement
    TokenBucket m_frames;   // every WebSocket frame: data, continuation and control alike
    TokenBucket m_pings;    // pings, each of which the server answers
    int m_refusals = 0;
    qint64 m_windowStartMs = -1;
};

} // namespace chalk::server
