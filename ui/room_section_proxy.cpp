#include "room_section_proxy.h"

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

QVariant RoomSectionProxy::data(const QModelIndex &index, int role) const
{
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
