// What one connection has used of its allowances: its two rate buckets (ServerOptions::
// messageRate, callRate) and the rate_limited refusals of its current abuse window.
// ConnectionPolicy decides with it; Session only carries it.
#pragma once

#include "token_bucket.h"

namespace chalk::server {

class PeerAllowance {
public:
    PeerAllowance() = default;
    PeerAllowance(TokenBucket messages, TokenBucket calls)
        : m_messages(messages)
        , m_calls(calls)
    {}

    bool takeMessage(qint64 nowMs) { return m_messages.take(nowMs); }
    bool takeCall(qint64 nowMs) { return m_calls.take(nowMs); }

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
    TokenBucket m_calls;    // every frame
    int m_refusals = 0;
    qint64 m_windowStartMs = -1;
};

} // namespace chalk::server
