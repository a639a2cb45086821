#include "backoff.h"

#include <QRandomGenerator>
#include <algorithm>

namespace chalk::client {

Backoff::Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
    : m_min(min)
    , m_max(std::max(min, max))
{}

std::chrono::milliseconds Backoff::next()
{
    // base = min * 2^attempt, capped; the shift is bounded so it cannot overflow.
    const int shift = std::min(m_attempt, 20);
    const qint64 base = std::min<qint64>(m_max.count(), m_min.count() << shift);
    ++m_attempt;
    // Jitter of +-20 %, never above max nor below min.
    const double factor = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    const qint64 delay =
        std::clamp<qint64>(qint64(double(base) * factor), m_min.count(), m_max.count());
    return std::chrono::milliseconds(delay);
}

} // namespace chalk::client
