"""A report far longer than the seeds, for tests and benchmarks of long documents."""

STEP = "ประชาสัมพันธ์ข้อมูลสถิติเรื่องการร้องเรียนการทุจริตที่ยังไม่ได้รับการแก้ไขให้บุคลากรทราบ"
OUTPUT = "จัดทำประกาศนโยบายไม่รับของขวัญ (No Gift Policy) และแจ้งให้ผู้บริหารและบุคลากรทุกคนถือปฏิบัติ"


def long_report_data(measures: int = 100, slug: str = "long") -> dict:
    """The report data format for ``measures`` measures; every seventh is taller than a page."""
    return {
        "agency": {
            "slug": slug,
            "name": "เทศบาลตำบลทดสอบรายงานยาว",
            "kind": "subdistrict_municipality",
            "district": "เมือง",
            "province": "ทดสอบ",
        },
        "fiscal_year": 2568,
        "title": "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "measures": [
            {
                "title": f"มาตรการที่ {n} ส่งเสริมความโปร่งใสในการปฏิบัติงาน",
                "indicator": {"number": n % 10 + 1, "label": ""},
                "steps": [
                    {"text": f"{STEP} ครั้งที่ {i}"}
                    for i in range(1, 1 + (24 if n % 7 == 0 else n % 5))
                ],
                "outputs": [{"text": f"{OUTPUT} ข้อ {i}"} for i in range(1, 1 + n % 4)],
                "outcomes": [{"text": "บุคลากรปฏิบัติตามนโยบายเพิ่มขึ้น"}],
                "period": {"style": "fiscal_year", "start": "2024-10-01", "end": "2025-09-30"},
                "responsible": {"main": ["สำนักปลัดเทศบาล"], "supporting": ["กองคลัง"]},
            }
            for n in range(1, measures + 1)
        ],
    }
