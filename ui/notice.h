// A non-blocking message box (window-modal, open() not exec()), always plain text because
// what it says may contain peer text (room and user names).
#pragma once

#include <QMessageBox>

namespace chalk::ui {

QMessageBox *showNotice(QWidget *parent, QMessageBox::Icon icon, const QString &title,
                        const QString &text, const QString &objectName = {});

} // namespace chalk::ui
