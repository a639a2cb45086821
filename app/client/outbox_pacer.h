// How fast the outbox may send what waited (ChatClient::flushOutbox). A client back from an
// hour offline may hold a thousand strokes; sent at once they would overrun the server's
// per-connection rate limits (ServerOptions: create_message 20/s, burst 50; every call 100/s,
// burst 200), come back rate_limited, and the refusals would get the link closed (1008) and
// reconnected, over and over. So the outbox keeps two token buckets below the server's
// defaults, refilled once per tick of a timer on the client's clock: messages, and every
// outbox call (messages included). What the pacer leaves over is the room for the calls the
// client makes itself (enter_room, list_messages, live drawing, mark_read).
#pragma once

#include <algorithm>
#include <chrono>

namespace chalk::client {

struct OutboxPace {
    std::chrono::milliseconds tick{250};
    int messagesPerTick = 4; // 16/s, under create_message's 20/s
    int messageBurst = 40;   // under its 50
    int callsPerTick = 15;   // 60/s, under the 100/s for every call
    int callBurst = 120;     // under its 200
};

class OutboxPacer {
public:
    explicit OutboxPacer(const OutboxPace &pace = {})
        : m_pace(pace)
    {
        fill();
    }

    // New rates; what is left is kept (up to the new bursts): a change mid-link sends no extra.
    void setPace(const OutboxPace &pace)
    {
        m_pace = pace;
        m_messages = std::min(m_messages, pace.messageBurst);
        m_calls = std::min(m_calls, pace.callBurst);
    }
    const OutboxPace &pace() const { return m_pace; }

    // A new link: the server's buckets for it start full.
    void fill()
    {
        m_messages = m_pace.messageBurst;
        m_calls = m_pace.callBurst;
    }
    // The server said rate_limited: its buckets are empty; start again from a tick's worth.
    void drain()
    {
        m_messages = 0;
        m_calls = 0;
    }
    // One tick of the timer.
    void refill()
    {
        m_messages = std::min(m_pace.messageBurst, m_messages + m_pace.messagesPerTick);
        m_calls = std::min(m_pace.callBurst, m_calls + m_pace.callsPerTick);
    }
    bool isFull() const { return m_messages >= m_pace.messageBurst && m_calls >= m_pace.callBurst; }

    // Takes what one outbox call costs; false (nothing taken) when it must wait for a tick.
    bool take(bool isMessage)
    {
        if (m_calls < 1 || (isMessage && m_messages < 1))
            return false;
        --m_calls;
        if (isMessage)
            --m_messages;
        return true;
    }

private:
    OutboxPace m_pace;
    int m_messages = 0;
    int m_calls = 0;
};

} // namespace chalk::client
