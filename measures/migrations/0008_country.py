
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0007_import_job'),
    ]

    operations = [
        migrations.AddField(
            model_name='agency',
            name='code',
            field=models.CharField(blank=True, help_text="The agency's code in another register (such as ITAS), when it has one.", max_length=50, null=True, unique=True, verbose_name='external code'),
        ),
        migrations.AddField(
            model_name='district',
            name='code',
            field=models.CharField(blank=True, max_length=4, null=True, unique=True, verbose_name='code'),
        ),
        migrations.AddField(
            model_name='district',
            name='name_en',
            field=models.CharField(blank=True, max_length=100, verbose_name='name in English'),
        ),
        migrations.AddField(
            model_name='province',
            name='code',
            field=models.CharField(blank=True, max_length=2, null=True, unique=True, verbose_name='code'),
        ),
        migrations.AddField(
            model_name='province',
            name='name_en',
            field=models.CharField(blank=True, max_length=100, verbose_name='name in English'),
        ),
        migrations.AlterField(
            model_name='agency',
            name='kind',
            field=models.CharField(choices=[('city_municipality', 'City municipality (เทศบาลนคร)'), ('town_municipality', 'Town municipality (เทศบาลเมือง)'), ('subdistrict_municipality', 'Subdistrict municipality (เทศบาลตำบล)'), ('provincial_administration', 'Provincial administration (อบจ.)'), ('subdistrict_administration', 'Subdistrict administration (อบต.)'), ('special_local', 'Special local government (กทม. / เมืองพัทยา)'), ('government_office', 'Department-level government office (ส่วนราชการระดับกรม)'), ('educational_institution', 'Educational institution (สถานศึกษา)'), ('state_enterprise', 'State enterprise (รัฐวิสาหกิจ)'), ('independent_body', 'Court, independent, prosecution or parliamentary body (องค์กรศาล องค์กรอิสระ ฯลฯ)'), ('public_organization', 'Public organization (องค์การมหาชน)'), ('fund', 'Fund (กองทุน)'), ('higher_education', 'Higher education institution (สถาบันอุดมศึกษา)'), ('province', 'Province (จังหวัด)'), ('education_service_area', 'Educational service area office (สำนักงานเขตพื้นที่การศึกษา)'), ('other', 'Other public agency')], max_length=40, verbose_name='type'),
        ),
        migrations.CreateModel(
            name='Subdistrict',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=6, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('name_en', models.CharField(blank=True, max_length=100, verbose_name='name in English')),
                ('postal_code', models.CharField(blank=True, max_length=5, verbose_name='postal code')),
                ('district', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='subdistricts', to='measures.district', verbose_name='district')),
            ],
            options={
                'verbose_name': 'subdistrict',
                'verbose_name_plural': 'subdistricts',
                'ordering': ['code'],
            },
        ),
        migrations.AddField(
            model_name='agency',
            name='subdistrict_area',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='agencies', to='measures.subdistrict', verbose_name="subdistrict (from the country's list)"),
        ),
    ]
