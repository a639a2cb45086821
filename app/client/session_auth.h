// Logging in (as Quassel's ClientAuthHandler): settles who this client is on each link. Takes
// the identity the server offers in user_created, or asks for the stored one back with the
// resume token kept per server origin, and falls back quietly when the server refuses; sends
// authenticate on a server with a password; keeps the device token an account call gives. Not for
// rooms or messages: ChatClient does those.
#pragma once

#include "protocol/objects.h"
#include "protocol/statements.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>
#include <functional>
#include <memory>

namespace chalk::client {

class SettingsStore;

class SessionAuth : public QObject {
    Q_OBJECT
public:
    // Sends a call with this client_id (empty: none); false when not connected.
    using SendCall =
        std::function<bool(protocol::Call, const QJsonObject &fields, const QString &clientId)>;

    SessionAuth(std::shared_ptr<SettingsStore> settings, SendCall send, QObject *parent = nullptr);

    // The server of the links to come. Another server forgets that the last one had no resume.
    void setServer(const QUrl &url);
    // A new link, or none: nothing is settled.
    void reset();
    // The link went down. A resume in flight means this server closes the link on a call it
    // does not know (the original): it is never asked again.
    void linkLost();

    bool isReady() const { return m_ready; }
    bool resumePending() const { return !m_resumeClientId.isEmpty(); }

    // The first user_created of a link: resume the stored identity, or take the offered one.
    void onUserCreated(const protocol::User &offered, const QString &token);
    void onResumed(const protocol::User &user);
    // Any error. True when it answers the resume in flight: the offered identity is taken.
    bool onError(const QString &errorName, const QString &callName, const QString &clientId);

    // For a server started with a password (it answers everything with `unauthorized`).
    bool authenticate(const QString &password);
    // registered or logged_in: this device's token of the account is kept; settles when the
    // link had no identity yet (a server that requires accounts).
    void onAccount(const protocol::User &user, const QString &token);
    // logged_out: the token is gone; the next user_created is a new identity.
    void onLoggedOut();

signals:
    // Who this client is on this link; `resumed`: the stored identity came back, and the
    // server re-enters its last room by itself.
    void settled(const chalk::protocol::User &user, bool resumed);
    // The server asks for a password before it says who we are.
    void passwordRequired();
    // The server requires an account, and no stored token resumed one.
    void accountRequired();

private:
    void keepToken(const QString &token);
    void settle(const protocol::User &user, bool resumed);

    std::shared_ptr<SettingsStore> m_settings;
    SendCall m_send;
    QUrl m_url;
    QUrl m_noResumeUrl; // a server that closed the link on `resume`
    bool m_ready = false;
    QString m_resumeClientId;     // the pending resume call, if any
    protocol::User m_pendingUser; // the new identity offered in user_created during resume
    QString m_pendingToken;
};

} // namespace chalk::client
