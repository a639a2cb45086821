// The logins of loadgen's --logins run (docs/PERFORMANCE.md "Logins under load"): registers a
// few accounts before anything is measured, then logs in at a steady rate while the fan-out
// runs, each login on a fresh connection (connect, user_created + rooms_listed, login, answer,
// close), as a person opening the app does. Runs on a thread of its own, so the fan-out
// workers' clients are not delayed by it. Not a fan-out client: it never enters a room.
#pragma once

#include "load_config.h"
#include "raw_ws_client.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <functional>
#include <vector>

namespace chalk::bench {

struct LoginResult {
    int accountsRegistered = 0;
    int registerFailures = 0;
    qint64 attempted = 0;  // login calls sent
    qint64 succeeded = 0;  // answered logged_in within the window
    qint64 failed = 0;     // answered with an error, or the connection failed
    qint64 unanswered = 0; // still waiting when the window closed
    qint64 skipped = 0;    // due while --login-inflight were waiting: never started
    QHash<QString, int> errorKinds;
    std::vector<quint32> latencyUs; // login call sent -> logged_in
    double windowS = 0;
};

// The login keys of loadgen's JSON line (docs/PERFORMANCE.md "Logins under load"); `r` null:
// no logins were made (--logins 0), every figure 0.
void insertLoginFigures(QJsonObject &out, const LoadConfig &config, LoginResult *r);

class LoginDriver : public QObject {
    Q_OBJECT
public:
    explicit LoginDriver(const LoadConfig &config);
    ~LoginDriver() override;

    // Both run in the driver's thread; `done` is called there.
    void registerAccounts(std::function<void(int ok, int failed)> done);
    void start(); // logins at config.loginRate from now on
    void stop();  // the window closes: no new logins, the open ones are dropped

    LoginResult result; // read by the coordinator once stop() has returned

private:
    struct Attempt;
    void tick();
    void open(int account, bool registering);
    void onText(Attempt *a, const QByteArray &utf8);
    void finished(Attempt *a, const QString &error); // empty error: success
    QString accountName(int account) const;
    QString password(int account) const;

    const LoadConfig m_config;
    const QString m_namePrefix; // unique per run: this process's id
    QTimer m_pacer;
    std::vector<Attempt *> m_open;
    std::function<void(int, int)> m_registered;
    int m_registerLeft = 0;
    qint64 m_startNs = 0;
    qint64 m_started = 0; // logins started or skipped since start()
    int m_nextAccount = 0;
    bool m_running = false;
};

} // namespace chalk::bench
