#include "password_hasher.h"

#include <QMutexLocker>
#include <QtConcurrent/QtConcurrentRun>
#include <sodium.h>

namespace chalk::server {

namespace {

// The password's UTF-8 bytes, wiped when it goes out of scope.
struct SecretBytes {
    explicit SecretBytes(const QString &text)
        : bytes(text.toUtf8())
    {}
    ~SecretBytes() { sodium_memzero(bytes.data(), std::size_t(bytes.size())); }
    SecretBytes(const SecretBytes &) = delete;
    SecretBytes &operator=(const SecretBytes &) = delete;
    QByteArray bytes;
};

QByteArray hashBytes(const QByteArray &password, const PasswordWork &work)
{
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.constData(), quint64(password.size()), work.opsLimit,
                          work.memLimit) != 0)
        return {};
    return QByteArray(out);
}

} // namespace

PasswordHasher::PasswordHasher(PasswordWork work)
    : m_work(work)
{
    // Safe to call more than once and from several threads; before any other libsodium call.
    if (sodium_init() < 0)
        qFatal("libsodium could not be initialised");
    m_pool.setMaxThreadCount(std::max(1, work.threads));
    // The hashes take the CPU the event loop leaves over (SCHED_IDLE on Linux), not a share
    // of it: under 50 logins/s two hash threads at normal priority moved the 1000-member
    // room's p99 by +36 to +553 ms, at idle priority by -1 to +26 ms (bench/run_scenario.sh
    // logins, docs/PERFORMANCE.md "Logins under load"). A login waits instead; chat does not.
    m_pool.setThreadPriority(QThread::IdlePriority);
}

PasswordHasher::~PasswordHasher()
{
    m_pool.waitForDone();
}

PasswordWork PasswordHasher::minimumWork()
{
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN, 2};
}

static_assert(PasswordWork{}.opsLimit == crypto_pwhash_OPSLIMIT_INTERACTIVE);
static_assert(PasswordWork{}.memLimit == crypto_pwhash_MEMLIMIT_INTERACTIVE);

QByteArray PasswordHasher::dummyHash()
{
    QMutexLocker lock(&m_dummyMutex);
    if (m_dummy.isEmpty())
        m_dummy = hashBytes(QByteArrayLiteral("no account has this password"), m_work);
    return m_dummy;
}

QFuture<QByteArray> PasswordHasher::hash(const QString &password)
{
    return QtConcurrent::run(&m_pool, [this, password] {
        const SecretBytes secret(password);
        return hashBytes(secret.bytes, m_work);
    });
}

QFuture<bool> PasswordHasher::verify(const QByteArray &stored, const QString &password)
{
    return QtConcurrent::run(&m_pool, [this, stored, password] {
        const SecretBytes secret(password);
        const bool known = !stored.isEmpty();
        const QByteArray against = known ? stored : dummyHash();
        const bool match = crypto_pwhash_str_verify(against.constData(), secret.bytes.constData(),
                                                    quint64(secret.bytes.size())) == 0;
        return known && match;
    });
}

} // namespace chalk::server
