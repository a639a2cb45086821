#include "session_auth.h"

#include "client_settings.h"
#include "connection.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcClient)

namespace chalk::client {

using namespace protocol;

SessionAuth::SessionAuth(std::shared_ptr<SettingsStore> settings, SendCall send, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_send(std::move(send))
{}

void SessionAuth::setServer(const QUrl &url)
{
    if (url.adjusted(QUrl::RemovePath) != m_url.adjusted(QUrl::RemovePath))
        m_noResumeUrl.clear();
    m_url = url;
}

void SessionAuth::reset()
{
    m_ready = false;
    m_resumeClientId.clear();
}

void SessionAuth::linkLost()
{
    if (resumePending())
        m_noResumeUrl = m_url;
}

void SessionAuth::onUserCreated(const User &offered, const QString &token)
{
    const QString stored = settings::identityToken.get(*m_settings);
    if (!stored.isEmpty() && settings::identityServer.get(*m_settings) == serverOrigin(m_url) &&
        stored != token && m_noResumeUrl != m_url) {
        // Ask for the old identity back; until the answer, the offered one is kept aside.
        m_pendingUser = offered;
        m_pendingToken = token;
        m_resumeClientId = newUuid();
        if (m_send(Call::Resume, toFields(ResumeArgs{stored}), m_resumeClientId))
            return;
        m_resumeClientId.clear();
    }
    keepToken(token);
    settle(offered, false);
}

void SessionAuth::onResumed(const User &user)
{
    m_resumeClientId.clear();
    settle(user, true);
}

bool SessionAuth::onError(const QString &errorName, const QString &callName,
                          const QString &clientId)
{
    const std::optional<Error> error = errorFromName(errorName);
    if (!m_ready && error == Error::Unauthorized && !resumePending())
        emit passwordRequired();
    if (!m_ready && error == Error::AccountRequired && !resumePending()) {
        // A server that requires accounts greets with this instead of user_created: a device
        // token of this server's account resumes it; without one, the user must sign in.
        const QString stored = settings::identityToken.get(*m_settings);
        m_pendingUser = {};
        m_pendingToken.clear();
        if (!stored.isEmpty() && callName.isEmpty() &&
            settings::identityServer.get(*m_settings) == serverOrigin(m_url)) {
            m_resumeClientId = newUuid();
            if (m_send(Call::Resume, toFields(ResumeArgs{stored}), m_resumeClientId))
                return true;
            m_resumeClientId.clear();
        }
        emit accountRequired();
        return false;
    }
    if (!resumePending() ||
        !(clientId == m_resumeClientId ||
          (clientId.isEmpty() && (callName.isEmpty() || callName == name(Call::Resume)))))
        return false;
    m_resumeClientId.clear();
    if (m_pendingUser.uuid.isEmpty()) {
        // Nothing offered (accounts required): the user must sign in.
        emit accountRequired();
        return true;
    }
    // bad_token (a new database) or unknown_call (a server without resume): quietly take the
    // identity this connection offered.
    qCInfo(lcClient) << "resume refused (" << errorName << "): continuing with a new identity";
    keepToken(m_pendingToken);
    m_pendingToken.clear();
    settle(m_pendingUser, false);
    return true;
}

bool SessionAuth::authenticate(const QString &password)
{
    return m_send(Call::Authenticate, toFields(AuthenticateArgs{password}), newUuid());
}

void SessionAuth::onAccount(const User &user, const QString &token)
{
    keepToken(token);
    if (!m_ready)
        settle(user, false);
}

void SessionAuth::onLoggedOut()
{
    settings::identityToken.set(*m_settings, QString());
    m_ready = false;
}

void SessionAuth::keepToken(const QString &token)
{
    if (token.isEmpty())
        return;
    settings::identityToken.set(*m_settings, token);
    settings::identityServer.set(*m_settings, serverOrigin(m_url));
}

void SessionAuth::settle(const User &user, bool resumed)
{
    m_ready = true;
    emit settled(user, resumed);
}

} // namespace chalk::client
