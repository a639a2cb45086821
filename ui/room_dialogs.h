// Small dialogs of the Rooms tab: rename a room, pick one of the original nine room colours.
// Both are opened with open() (window-modal, not a nested event loop).
#pragma once

#include <QDialog>

class QAbstractButton;
class QButtonGroup;
class QDialogButtonBox;
class QLineEdit;

namespace chalk::ui {

class RenameRoomDialog : public QDialog {
    Q_OBJECT
public:
    RenameRoomDialog(const QString &currentName, QWidget *parent = nullptr);

    QString name() const; // trimmed
    QLineEdit *nameEdit() const { return m_edit; }

private:
    QLineEdit *m_edit;
    QDialogButtonBox *m_buttons;
};

class RoomColorDialog : public QDialog {
    Q_OBJECT
public:
    RoomColorDialog(const QString &roomName, const QString &currentColor,
                    QWidget *parent = nullptr);

    QString color() const; // one of protocol::roomPalette(), or empty when none picked
    QList<QAbstractButton *> swatches() const;

private:
    QButtonGroup *m_group;
};

} // namespace chalk::ui
