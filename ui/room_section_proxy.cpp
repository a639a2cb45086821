#include "room_section_proxy.h"

#include "client/presence_book.h"
#include "client/room_list_model.h"
#include "direct_names.h"

namespace chalk::ui {

using client::RoomListModel;

RoomSectionProxy::RoomSectionProxy(Section section, client::RoomListModel *rooms,
                                   DirectNames *names, QObject *parent)
    : client::RoomFilterProxyModel(parent)
    , m_section(section)
    , m_rooms(rooms)
    , m_names(names)
{
    setSourceModel(rooms);
    if (names && section == Section::Direct) {
        // A name heard later: shown at once, and the search sees it.
        connect(names, &DirectNames::changed, this, [this] {
            invalidateFilter();
            if (rowCount() > 0)
                emit dataChanged(index(0, 0), index(rowCount() - 1, 0));
        });
    }
}

void RoomSectionProxy::setPresence(const client::PresenceBook *presence)
{
    m_presence = presence;
    if (!presence || m_section != Section::Direct)
        return;
    connect(presence, &client::PresenceBook::changed, this, [this] {
        if (rowCount() > 0) // a few rows: all of them, rather than finding the partner's
            emit dataChanged(index(0, 0), index(rowCount() - 1, 0),
                             {PartnerOnlineRole, PartnerLastSeenRole});
    });
}

QVariant RoomSectionProxy::data(const QModelIndex &index, int role) const
{
    if ((role == PartnerOnlineRole || role == PartnerLastSeenRole)) {
        const int row = mapToSource(index).row();
        if (m_section != Section::Direct || !m_names || !m_presence || row < 0)
            return {};
        const auto state = m_presence->state(m_names->otherMember(m_rooms->room(row)));
        if (!state.known)
            return {};
        return role == PartnerOnlineRole ? QVariant(state.online) : QVariant(state.lastSeen);
    }
    if (m_section == Section::Direct && m_names &&
        (role == Qt::DisplayRole || role == RoomListModel::NameRole)) {
        const int row = mapToSource(index).row();
        if (row >= 0)
            return m_names->nameOf(m_rooms->room(row));
    }
    return client::RoomFilterProxyModel::data(index, role);
}

bool RoomSectionProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const protocol::Room room = m_rooms->room(sourceRow);
    if (room.isDirect() != (m_section == Section::Direct))
        return false;
    if (client::RoomFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent))
        return true;
    return m_section == Section::Direct && m_names &&
           folded(m_names->nameOf(room)).contains(folded(searchText()));
}

} // namespace chalk::ui
