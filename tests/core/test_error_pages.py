def test_a_missing_object_shows_the_sites_own_not_found_page(client, officer_a, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(officer_a)
    response = client.get("/inventory/systems/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "belongs to a unit you may not see" in body
    assert 'href="/"' in body or "dashboard" in body.lower()
