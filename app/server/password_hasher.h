// Argon2id password hashes (libsodium crypto_pwhash_str), computed on a small thread pool of
// their own at idle priority, so the event loop that serves sockets never runs one nor waits
// for a core behind one: each costs ~200 ms of CPU here and 64 MiB at the default work factor. Not
// for resume tokens (tokens.h: SHA-256, they are random). Passwords are never logged; the copies
// made here are wiped after use.
#pragma once

#include "server_options.h"

#include <QByteArray>
#include <QFuture>
#include <QMutex>
#include <QString>
#include <QThreadPool>

namespace chalk::server {

class PasswordHasher {
public:
    explicit PasswordHasher(PasswordWork work);
    ~PasswordHasher();

    // The libsodium string of a new hash (algorithm, work factor, salt, hash); empty on
    // failure (out of memory).
    QFuture<QByteArray> hash(const QString &password);
    // Whether `password` matches `stored`. An empty `stored` (no such account) is checked
    // against a hash made once with the same work factor, so the answer takes as long and
    // costs as much as for a real account, and is false.
    QFuture<bool> verify(const QByteArray &stored, const QString &password);

    // The smallest work factor libsodium accepts (tests).
    static PasswordWork minimumWork();

private:
    QByteArray dummyHash(); // pool threads only

    PasswordWork m_work;
    QThreadPool m_pool;
    QMutex m_dummyMutex;
    QByteArray m_dummy;
};

} // namespace chalk::server
