// Percentiles and rounding of loadgen's JSON figures, shared by the fan-out and login reports.
#pragma once

#include <QtGlobal>
#include <algorithm>
#include <cmath>
#include <vector>

namespace chalk::bench {

// The q-quantile of microseconds sorted ascending, in ms; 0 for none.
inline double percentileMs(const std::vector<quint32> &sortedUs, double q)
{
    if (sortedUs.empty())
        return 0;
    const size_t at = std::min(sortedUs.size() - 1, size_t(q * double(sortedUs.size())));
    return double(sortedUs[at]) / 1000.0;
}

inline double round3(double v)
{
    return std::round(v * 1000.0) / 1000.0;
}

} // namespace chalk::bench
