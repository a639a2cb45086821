#include "login_driver.h"

#include "percentiles.h"
#include "worker.h" // steadyNs

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace chalk::bench {

// One connection: either registers an account or logs in to one, then closes.
struct LoginDriver::Attempt {
    RawWsClient *socket = nullptr; // deleted later: its signals may be on the stack
    int account = 0;
    bool registering = false;
    bool gotUser = false;
    bool gotRooms = false;
    bool called = false;
    qint64 calledNs = 0;
};

LoginDriver::LoginDriver(const LoadConfig &config)
    : m_config(config)
    , m_namePrefix(QStringLiteral("lg%1a").arg(QCoreApplication::applicationPid()))
    , m_pacer(this) // a child: it moves to the driver's thread with it
{
    m_pacer.setTimerType(Qt::PreciseTimer);
    m_pacer.setInterval(10);
    connect(&m_pacer, &QTimer::timeout, this, &LoginDriver::tick);
}

LoginDriver::~LoginDriver()
{
    stop();
}

QString LoginDriver::accountName(int account) const
{
    return m_namePrefix + QString::number(account); // 3..32 characters (Limits::loginName*)
}

QString LoginDriver::password(int account) const
{
    // A benchmark account on a throw-away server: the password is no secret.
    return QStringLiteral("loadgen-password-%1").arg(account);
}

void LoginDriver::registerAccounts(std::function<void(int, int)> done)
{
    m_registered = std::move(done);
    m_registerLeft = std::max(1, m_config.loginAccounts);
    // All at once: the server hashes --password-threads of them at a time anyway.
    for (int i = 0; i < m_registerLeft; ++i)
        open(i, true);
}

void LoginDriver::start()
{
    m_running = true;
    m_startNs = steadyNs();
    m_started = 0;
    m_pacer.start();
    tick();
}

void LoginDriver::stop()
{
    if (m_running) {
        m_running = false;
        m_pacer.stop();
        result.windowS = double(steadyNs() - m_startNs) / 1e9;
    }
    for (Attempt *a : m_open) {
        if (a->called && !a->registering)
            ++result.unanswered;
        a->socket->disconnect(this);
        a->socket->abort();
        a->socket->deleteLater();
        delete a;
    }
    m_open.clear();
}

void LoginDriver::tick()
{
    if (!m_running || m_config.loginRate <= 0)
        return;
    // As many as are due since start(), so a late timer does not lower the rate.
    const qint64 due = qint64(double(steadyNs() - m_startNs) / 1e9 * m_config.loginRate);
    for (; m_started < due; ++m_started) {
        if (qsizetype(m_open.size()) >= m_config.loginInflight) {
            ++result.skipped; // the server is that far behind: say so, do not pile up
            continue;
        }
        open(m_nextAccount, false);
        m_nextAccount = (m_nextAccount + 1) % std::max(1, m_config.loginAccounts);
    }
}

void LoginDriver::open(int account, bool registering)
{
    auto *a = new Attempt;
    a->socket = new RawWsClient;
    a->account = account;
    a->registering = registering;
    m_open.push_back(a);
    connect(a->socket, &RawWsClient::textReceived, this,
            [this, a](const QByteArray &utf8) { onText(a, utf8); });
    connect(a->socket, &RawWsClient::disconnected, this,
            [this, a] { finished(a, QStringLiteral("disconnected")); });
    connect(a->socket, &RawWsClient::failed, this,
            [this, a](const QString &kind) { finished(a, QStringLiteral("connect_") + kind); });
    a->socket->open(m_config.url);
}

void LoginDriver::onText(Attempt *a, const QByteArray &utf8)
{
    // A few frames a second: parsed in full, unlike the fan-out's hot path.
    const QJsonObject root = QJsonDocument::fromJson(utf8).object();
    const QJsonObject payload = root.value(QLatin1String("payload")).toObject();
    const QString name = payload.value(QLatin1String("message")).toString();
    if (root.value(QLatin1String("type")).toString() == QLatin1String("error")) {
        finished(a, name.isEmpty() ? QStringLiteral("error") : name);
        return;
    }
    if (!a->called) {
        a->gotUser = a->gotUser || name == QLatin1String("user_created");
        a->gotRooms = a->gotRooms || name == QLatin1String("rooms_listed");
        if (a->gotUser && a->gotRooms) {
            const QJsonObject call{
                {QStringLiteral("type"), QStringLiteral("call")},
                {QStringLiteral("payload"),
                 QJsonObject{{QStringLiteral("message"), a->registering ? QStringLiteral("register")
                                                                        : QStringLiteral("login")},
                             {QStringLiteral("name"), accountName(a->account)},
                             {QStringLiteral("password"), password(a->account)}}}};
            a->called = true;
            a->calledNs = steadyNs();
            if (!a->registering)
                ++result.attempted;
            a->socket->sendText(QJsonDocument(call).toJson(QJsonDocument::Compact));
        }
        return;
    }
    if (name == QLatin1String(a->registering ? "registered" : "logged_in"))
        finished(a, QString());
}

void LoginDriver::finished(Attempt *a, const QString &error)
{
    const auto it = std::find(m_open.begin(), m_open.end(), a);
    if (it == m_open.end())
        return;
    m_open.erase(it);
    if (a->registering) {
        error.isEmpty() ? ++result.accountsRegistered : ++result.registerFailures;
        if (!error.isEmpty())
            result.errorKinds[QStringLiteral("register_") + error] += 1;
    } else if (error.isEmpty()) {
        ++result.succeeded;
        result.latencyUs.push_back(quint32((steadyNs() - a->calledNs) / 1000));
    } else {
        if (!a->called)
            ++result.attempted; // the connection failed before the call: still a login tried
        ++result.failed;
        result.errorKinds[error] += 1;
    }
    a->socket->disconnect(this);
    a->socket->abort();
    a->socket->deleteLater();
    const bool registering = a->registering;
    delete a;
    if (registering && --m_registerLeft == 0 && m_registered)
        std::exchange(m_registered, {})(result.accountsRegistered, result.registerFailures);
}

void insertLoginFigures(QJsonObject &out, const LoadConfig &config, LoginResult *r)
{
    LoginResult none;
    LoginResult &l = r ? *r : none;
    std::sort(l.latencyUs.begin(), l.latencyUs.end());
    QJsonObject kinds;
    for (auto it = l.errorKinds.cbegin(); it != l.errorKinds.cend(); ++it)
        kinds.insert(it.key(), it.value());
    out.insert(QStringLiteral("login_target_per_s"), std::max(0.0, config.loginRate));
    out.insert(QStringLiteral("login_accounts"), r ? config.loginAccounts : 0);
    out.insert(QStringLiteral("accounts_registered"), l.accountsRegistered);
    out.insert(QStringLiteral("register_failures"), l.registerFailures);
    out.insert(QStringLiteral("logins_attempted"), l.attempted);
    out.insert(QStringLiteral("logins_succeeded"), l.succeeded);
    out.insert(QStringLiteral("logins_failed"), l.failed);
    out.insert(QStringLiteral("logins_unanswered"), l.unanswered);
    out.insert(QStringLiteral("logins_skipped"), l.skipped);
    out.insert(QStringLiteral("login_window_s"), round3(l.windowS));
    out.insert(QStringLiteral("logins_per_s"),
               round3(l.windowS > 0 ? double(l.succeeded) / l.windowS : 0));
    out.insert(QStringLiteral("login_p50_ms"), round3(percentileMs(l.latencyUs, 0.50)));
    out.insert(QStringLiteral("login_p99_ms"), round3(percentileMs(l.latencyUs, 0.99)));
    out.insert(QStringLiteral("login_error_kinds"), kinds);
}

} // namespace chalk::bench
