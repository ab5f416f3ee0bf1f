"""The printed kitchen ticket, byte for byte where it matters: Romanian in CP852, the
code page selected first, VOID / REPRINT / RUSH marked, and a cut at the end."""

from __future__ import annotations

from datetime import UTC, datetime

from printer_fakes import CUT, ticket_document

from kitchen.printing import for_cp852, render_ticket

ESC, GS = b"\x1b", b"\x1d"
SELECT_CP852 = ESC + b"t\x12"  # ESC t 18: CP852 in the default (Epson) code page table
DOUBLE_SIZE = ESC + b"!\x30"
INVERT_ON = GS + b"B\x01"
FULL_CUT = GS + b"V\x00"


def test_python_s_cp852_codec_is_what_we_expect():
    # ş (cedilla) and ă as CP852 has them; ș (comma below) is in no code page.
    assert "ş".encode("cp852") == b"\xad"
    assert "ă".encode("cp852") == b"\xc7"
    assert "ţ".encode("cp852") == b"\xee"
    assert "ĂÂÎŞŢâî".encode("cp852") == b"\xc6\xb6\xd7\xb8\xdd\x83\x8c"


def test_ciorba_de_perisoare_prints_in_cp852_after_the_code_page_is_selected():
    data = render_ticket(ticket_document())
    expected = b"Ciorb\xc7 de peri\xadoare"  # ă = C7, ș → ş = AD
    assert "Ciorbă de perişoare".encode("cp852") == expected
    assert expected in data
    assert data.startswith(ESC + b"@" + SELECT_CP852)  # reset, then the code page
    assert data.index(SELECT_CP852) < data.index(expected)
    assert data.count(ESC + b"t") == 1  # no code page switching in between
    assert b"?" not in data  # every letter had a place in CP852


def test_every_romanian_letter_maps_to_cp852_and_comma_below_becomes_cedilla():
    letters = "ăâîșțşţĂÂÎȘȚŞŢ"
    assert for_cp852(letters) == "ăâîşţşţĂÂÎŞŢŞŢ"
    data = render_ticket(ticket_document(lines=[{
        "names": {"ro": letters}, "quantity": 1, "seat": None, "note": None, "allergens": [],
        "modifiers": [], "status": "sent"}]))
    assert for_cp852(letters).encode("cp852") in data


def test_a_letter_cp852_lacks_prints_as_its_base_letter_not_as_a_question_mark():
    assert for_cp852("Caffè latte") == "Caffe latte"
    assert for_cp852("Ardei jalapeño") == "Ardei jalapeno"
    assert for_cp852("Crème brûlée") == "Creme brulée"  # é is in CP852, è and û are not
    data = render_ticket(ticket_document(lines=[{
        "names": {"ro": "Caffè latte"}, "quantity": 1, "seat": None, "note": "jalapeño",
        "allergens": [], "modifiers": [], "status": "sent"}]))
    assert b"Caffe latte" in data and b"jalapeno" in data
    assert b"?" not in data


def test_the_code_page_number_is_the_profile_s_own():
    assert b"\x1bt\x36" in render_ticket(ticket_document(), profile="NT-5890K")  # 54
    assert b"\x1bt\x05" in render_ticket(ticket_document(), profile="SP2000")  # 5
    assert SELECT_CP852 in render_ticket(ticket_document(), profile="no-such-profile")


def test_the_ticket_shows_table_course_time_server_lines_and_ends_with_a_cut():
    data = render_ticket(ticket_document())
    table = data.index(b"MASA 12")
    assert data.rindex(DOUBLE_SIZE, 0, table) > data.index(SELECT_CP852)  # big table number
    assert b"FEL PRINCIPAL" in data
    assert b"Ora 20:31" in data  # 18:31 UTC is 20:31 in Bucharest in March
    assert b"Bon #1042" in data
    assert "Ospătar: Ana Popescu".encode("cp852") in data
    assert b"Persoane: 4" in data
    steak = "2× Antricot de vită (300 g)".encode("cp852")
    assert steak in data and b"\x9e" in steak  # × is in CP852 too
    assert "   + În sânge".encode("cp852") in data  # modifiers indented under their line
    assert "   + Cartofi prăjiţi".encode("cp852") in data
    assert b"   Loc 1" in data and b"   Loc 2" in data
    note = "Notă: fără sare".encode("cp852")
    assert data.rindex(INVERT_ON, 0, data.index(note)) > data.index(steak)  # white on black
    allergens = "ALERGENI: gluten, ouă, ţelină".encode("cp852")
    assert allergens in data
    assert data.rindex(INVERT_ON, 0, data.index(allergens)) > data.index(note)
    assert data.endswith(FULL_CUT)
    assert data.count(CUT) == 1
    for marker in (b"URGENT", b"STORNO", b"REIMPRIMARE"):
        assert marker not in data


def test_a_tab_prints_its_name_instead_of_a_table():
    data = render_ticket(ticket_document(table=None, check_name="Bar: Ion"))
    assert b"Bar: Ion" in data
    assert b"MASA" not in data


def test_rush_is_marked_inverted():
    data = render_ticket(ticket_document(rush=True))
    assert b"*** URGENT ***" in data
    assert data.rindex(INVERT_ON, 0, data.index(b"URGENT")) > data.index(b"MASA 12")


def test_a_void_ticket_is_marked_void_and_lists_the_voided_lines_only():
    document = ticket_document(kind="void")
    document["lines"][1]["status"] = "void"
    data = render_ticket(document)
    assert data.count(b"STORNO") == 2  # at the top and again at the bottom
    assert "Ciorbă de perişoare".encode("cp852") in data
    assert b"Antricot" not in data
    assert data.endswith(FULL_CUT)
    assert b"VOID" in render_ticket(document, language="en")


def test_a_void_ticket_lists_only_the_lines_voided_now_when_the_document_says_which():
    document = ticket_document(kind="void", voided_line_ids=[11])
    for line in document["lines"]:
        line["status"] = "void"  # the soup was voided earlier, the steak now
    data = render_ticket(document)
    assert b"Antricot" in data
    assert b"Ciorb" not in data


def test_a_reprint_is_marked_reprint():
    data = render_ticket(ticket_document(), kind="reprint")
    assert b"REIMPRIMARE" in data
    assert data.rindex(INVERT_ON, 0, data.index(b"REIMPRIMARE")) > data.index(b"MASA 12")
    assert b"Antricot" in data and data.endswith(FULL_CUT)
    assert b"REPRINT" in render_ticket(ticket_document(), kind="reprint", language="en")


def test_a_rerouted_ticket_says_which_printer_it_is_standing_in_for():
    data = render_ticket(ticket_document(rerouted_from={"printer": "Grill", "printer_id": 1}))
    assert b"Preluat de la imprimanta Grill" in data


def test_the_image_path_draws_lines_with_diacritics_and_prints_plain_ones_as_text():
    data = render_ticket(ticket_document(), diacritics="image")
    assert GS + b"v0" in data  # raster images
    assert SELECT_CP852 not in data  # the letters are drawn, not encoded
    assert b"Ciorb" not in data  # that line is a picture, with the real ș
    assert b"MASA 12" in data and b"Bon #1042" in data  # ASCII stays text
    assert data.endswith(FULL_CUT)


def line(name: str, **fields) -> dict:
    return {"names": {"ro": name}, "quantity": 1, "seat": None, "note": None, "allergens": [],
            "modifiers": [], "status": "sent", **fields}


def test_a_line_with_a_letter_that_has_no_base_letter_prints_as_a_picture_not_as_question_marks():
    data = render_ticket(ticket_document(lines=[
        line("Caffè latte"), line("Smørrebrød"), line("宫保鸡丁"), line("Ciorbă", note="fără ø")]))
    assert data.startswith(ESC + b"@" + SELECT_CP852)  # the rest is still text in CP852
    assert b"Caffe latte" in data and "Ciorbă".encode("cp852") in data
    assert data.count(GS + b"v0") == 3  # the three lines CP852 cannot say, drawn
    for unprintable in (b"rrebr", b"????", "Notă: fără".encode("cp852")):
        assert unprintable not in data
    assert b"?" not in data.split(GS + b"v0")[0]  # no "?" in the text before the pictures


def test_for_cp852_alone_still_never_drops_a_letter_silently():
    assert for_cp852("smørrebrød") == "sm?rrebr?d"  # the writer draws such a line instead


def test_a_rerouted_ticket_starts_with_its_station_in_double_width_and_height():
    data = render_ticket(ticket_document(
        rerouted_from={"printer": "Grill", "printer_id": 1},
        station_names={"ro": "Grătar", "en": "Grill"}))
    station = "GRĂTAR".encode("cp852")
    assert data.index(station) < data.index(b"MASA 12") < data.index(b"Preluat de la")
    assert data.index(DOUBLE_SIZE) < data.index(station)  # the first thing after the reset
    assert data.index(SELECT_CP852) < data.index(DOUBLE_SIZE)
    between = data[data.index(DOUBLE_SIZE) + len(DOUBLE_SIZE):data.index(station)]
    assert ESC + b"!" not in between  # still large when the name prints
    assert b"GRILL" in render_ticket(ticket_document(  # no names: the station's code
        rerouted_from={"printer": "Grill", "printer_id": 1}))
    assert station not in render_ticket(ticket_document(station_names={"ro": "Grătar"}))


def test_a_possible_copy_is_headed_so_in_the_printer_s_language_with_when_it_printed_again():
    again = datetime(2025, 3, 14, 18, 45, tzinfo=UTC)
    data = render_ticket(ticket_document(), possible_copy_at=again)
    mark = "POSIBILĂ COPIE".encode("cp852")
    assert data.index(mark) < data.index(b"MASA 12")
    assert data.rindex(INVERT_ON, 0, data.index(mark)) > 0
    assert "Retipărit la 20:45".encode("cp852") in data  # the venue's time
    assert b"Ora 20:31" in data and b"Bon #1042" in data  # the original's, unchanged
    english = render_ticket(ticket_document(), possible_copy_at=again, language="en")
    assert b"POSSIBLE COPY" in english and b"Printed again at 20:45" in english
    assert mark not in render_ticket(ticket_document())
