#include "server_features.h"

namespace chalk::client {

void ServerFeatures::learnFromGreeting(bool hasToken)
{
    m_known = true;
    m_ours = hasToken;
}

bool ServerFeatures::supports(Feature feature) const
{
    switch (feature) {
    case Feature::Resumed:
        return m_resumed;
    case Feature::ClientIdEcho:
        return m_echo || m_ours;
    case Feature::UnreadCounts:
        return m_unread;
    case Feature::ResumeToken:
    case Feature::AppendLines:
    case Feature::RemoveLines:
    case Feature::Typing:
    case Feature::OwnMessages:
        return m_ours;
    }
    return false;
}

} // namespace chalk::client
