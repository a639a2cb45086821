// Reads a process's CPU time and memory from /proc (Linux), so a benchmark can report what
// the server under test cost while it ran, and whether the generator itself was saturated.
#pragma once

#include <QtGlobal>

namespace chalk::bench {

struct ProcSample {
    bool ok = false;
    double cpuSeconds = 0; // utime + stime, all threads
    qint64 rssKiB = 0;     // VmRSS
    qint64 hwmKiB = 0;     // VmHWM, the peak RSS
    int threads = 0;
    qint64 wallNs = 0; // steady clock when sampled
};

// pid 0 = this process.
ProcSample sampleProcess(qint64 pid);

// CPU use between two samples, in percent of one core (200 = two cores busy).
double cpuPercent(const ProcSample &from, const ProcSample &to);

} // namespace chalk::bench
