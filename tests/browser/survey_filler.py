"""Fill survey pages the way a practitioner would: click labels, type, choose."""

NUMBERS = {
    "supervise_count": "3",
    "months_per_year": "10",
    "hours_per_week": "22.5",
    "other_jobs": "1",
    "hourly_rate": "18.50",
    "years_in_field": "4",
    "years_with_employer": "2",
}
TEXTS = {
    "job_title": "Group leader",
    "employer_name": "Eastside Youth Club",
    "describe_work": "I plan activities, keep kids safe and talk with parents every day.",
    "occupation_name": "Youth development worker",
    "contact_email": "maria@example.org",
}
CHOICES = {
    "consent": "yes",
    "eligibility": "paid",
    "role": "frontline",
    "supervises": "no",
    "pay_type": "hourly",
    "follow_up": "yes",
    "quote_consent": "anonymous",
    "crosswalk_code": "39-9032",
}


def fill_page(page, *, choices=None, numbers=None, texts=None, rate_tasks=True) -> list[str]:
    """Answer every visible question on the current page; returns the question keys answered."""
    choices = {**CHOICES, **(choices or {})}
    numbers = {**NUMBERS, **(numbers or {})}
    texts = {**TEXTS, **(texts or {})}
    answered = []
    count = page.locator(".survey-question").count()
    for i in range(count):
        q = page.locator(".survey-question").nth(i)
        if not q.is_visible():
            continue
        key = q.get_attribute("data-question")
        answered.append(key)
        if q.locator(".duties-checklist").count():
            if rate_tasks:
                check_tasks_on(q)
            continue
        if q.locator(".task-rate-list").count():
            if rate_tasks:
                rate_checked_on(q)
            continue
        if q.locator(".task").count():
            if rate_tasks:
                rate_tasks_on(q)
            continue
        if q.locator("[data-time-use]").count():
            for box, share in zip(
                q.locator(".time-share").all(), ["60", "10", "20", "10"], strict=False
            ):
                box.fill(share)
            continue
        if q.locator("select[name$='__state']").count():
            q.locator("select[name$='__state']").select_option("CA")
            q.locator("input[name$='__zip3']").fill("941")
            continue
        radios = q.locator("input[type=radio]")
        boxes = q.locator("input[type=checkbox]")
        if radios.count() or boxes.count():
            group = radios if radios.count() else boxes
            wanted = choices.get(key)
            target = q.locator(f"input[value='{wanted}']") if wanted else group.first
            if not target.count():
                target = group.first
            q.locator(f"label[for='{target.first.get_attribute('id')}']").click()
            continue
        if key in numbers:
            q.locator("input").first.fill(numbers[key])
        elif q.locator("textarea").count():
            q.locator("textarea").fill(texts.get(key, "Something I do at work."))
        elif key in texts:
            q.locator("input").first.fill(texts[key])
        elif q.locator("input[type=email]").count():
            q.locator("input[type=email]").fill("someone@example.org")
        else:
            q.locator("input").first.fill("Something")
    return answered


def rate_tasks_on(container, importance="4", frequency="5") -> int:
    tasks = container.locator(".task-list").first.locator(".task")
    for i in range(tasks.count()):
        task = tasks.nth(i)
        task.locator("input[value=yes]").check()
        task.locator("select[name$='_imp']").select_option(importance)
        task.locator("select[name$='_freq']").select_option(frequency)
    return tasks.count()


def check_tasks_on(container, share=2 / 3) -> int:
    """Duties pass one: tap the first `share` of the role's tasks in the checklist."""
    boxes = container.locator(".task-checklist").first.locator("input[type=checkbox]")
    count = max(1, round(boxes.count() * share))
    for i in range(count):
        box = boxes.nth(i)
        if not box.is_checked():
            container.locator(f"label[for='{box.get_attribute('id')}']").click()
    return count


def rate_checked_on(container, importance="4", frequency="5") -> int:
    """Duties pass two: one tap on each segmented scale of the screen."""
    scales = container.locator(".seg-scale")
    for i in range(scales.count()):
        scale = scales.nth(i)
        value = importance if "seg-imp" in (scale.get_attribute("class") or "") else frequency
        radio = scale.locator(f"input[value='{value}']")
        scale.locator(f"label[for='{radio.get_attribute('id')}']").click()
    return scales.count()
