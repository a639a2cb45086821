#include "room_list_view.h"

namespace chalk::ui {

RoomListView::RoomListView(QWidget *parent)
    : QListView(parent)
{
    setObjectName(QStringLiteral("RoomList"));
    setUniformItemSizes(true); // every row has the same height: fast with many rooms
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setContextMenuPolicy(Qt::CustomContextMenu);
    setMouseTracking(true);
}

} // namespace chalk::ui
