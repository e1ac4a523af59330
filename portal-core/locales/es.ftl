# Los emails del portal, en español.

## Documentos

doc-invoice = Factura { $number }
doc-quote = Presupuesto { $number }
doc-sales-order = Pedido { $number }
summary-invoice = Factura { $number } por { $total }, { $balance } a pagar antes del { $due }.
summary-quote = Presupuesto { $number } por { $total }, válido hasta el { $expiry }.
summary-sales-order = Pedido { $number } por { $total }, realizado el { $date }.

## Invitación

invitation-subject = Invitación al portal de clientes de { $org }
invitation-body =
    Hola, { $name }:

    { $org } le ha invitado a su portal de clientes, donde puede ver los presupuestos, facturas y pagos de { $customer }.

    Acepte la invitación: { $link }

    El enlace funciona una sola vez y caduca. El portal está en { $url }.

## Contraseña

reset-subject = Restablezca su contraseña del portal de { $org }
reset-body =
    Hola, { $name }:

    Alguien ha pedido restablecer su contraseña del portal de clientes de { $org }.
    Elija una contraseña nueva: { $link }

    El enlace funciona una sola vez y caduca en { $minutes } minutos. Si no lo ha pedido usted, ignore este email: su contraseña no cambia.

## Pagos

receipt-subject = Recibo { $receipt } de { $org }
receipt-body =
    Gracias por su pago de { $amount } por { $invoices }.
    Recibo: { $receipt }
payment-failed-subject = Su pago a { $org } no se ha completado
payment-failed-body =
    Su pago de { $amount } por { $invoices } no se ha completado: { $reason }.
    No se ha cobrado nada y las facturas vuelven a estar pendientes. Puede pagarlas desde el portal: { $url }

## Documentos enviados al cliente

document-email-subject = { $document } de { $org }
document-email-body =
    Hola, { $name }:

    { $summary }
    Adjuntamos el documento; también está en su portal de clientes en { $url }.
link-subject = { $document } de { $org }
link-body =
    Hola, { $name }:

    { $org } le ha enviado { $document }. Ábralo para { $actions } (sin iniciar sesión):
    { $link }

    El enlace funciona hasta el { $until }.
link-can-view = verlo
link-can-download = descargarlo
link-can-pay = pagarlo
link-can-decide = aceptarlo o rechazarlo
forward-subject = { $sender } ha reenviado un documento de { $org }
forward-body =
    { $summary }
    { $note }
    { $org } lo envió a { $customer }. El portal de clientes está en { $url }.
forward-note =
    { $sender } escribió:
    { $note }

## Notificaciones al cliente

comment-subject = { $org } ha respondido en el portal de clientes
comment-body =
    { $org } escribió:

    { $comment }

    Véalo en el portal: { $url }

## Lists

list-separator = {", "}
